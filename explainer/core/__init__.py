"""The pure core every feature shares: the sitemap, the colour palette, the app's URL formats."""
