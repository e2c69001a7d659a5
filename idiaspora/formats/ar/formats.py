"""Arabic date-and-time patterns in the order and with the comma (،) Arabic readers expect."""

DATETIME_FORMAT = "j F Y، g:i A"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A"
