"""Pages of the labelling side, one module per page or family of actions."""
