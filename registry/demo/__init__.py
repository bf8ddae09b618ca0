"""The demo catalogue (fictional, written for this project) and its loader."""
