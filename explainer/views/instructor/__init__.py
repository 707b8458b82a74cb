"""Views of the Instructor section: joining a class, the protected dashboard, banks and presets."""
