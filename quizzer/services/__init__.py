"""One module per family of user actions. Each public method is one transaction."""
