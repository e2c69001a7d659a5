"""Date and time formats where Django's own locale leaves a gap (FORMAT_MODULE_PATH).

Django's Arabic locale has a DATE_FORMAT but no DATETIME_FORMAT, so every date with a time fell
back to the English pattern and read "ديسمبر 2, 2026, 6 م". Only the missing keys are set here;
the rest still comes from Django.
"""
