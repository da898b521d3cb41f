"""The live views: the dashboard's on-air panel, the Live page's parts and DJ mode."""
