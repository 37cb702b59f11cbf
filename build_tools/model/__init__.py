"""The records every stage and page works on: claims, sources, captures split into passages,
coverage, and the knowledge base as a whole. Data, with the look-ups that belong to it."""
