"""The category tree (F3) over GraphQL: thin resolvers over `backend.categories`."""
