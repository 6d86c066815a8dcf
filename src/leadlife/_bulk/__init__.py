"""Books of millions: funnels checked and replayed column by column."""
