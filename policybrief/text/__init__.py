"""Words, dates and the dictionary matcher: plain Python, no pandas, no corpus."""
