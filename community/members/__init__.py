"""Members: profiles with per-field visibility, protected mode, the directory."""
