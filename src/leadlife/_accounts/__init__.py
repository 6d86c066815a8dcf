"""Accounts: people matched to the companies a book sells to, and the book read by account."""
