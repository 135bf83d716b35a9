"""State-changing operations, kept apart from the request handlers that call them."""
