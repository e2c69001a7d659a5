"""Community moderation: members report content, moderators hide, restore or dismiss it."""
