python walkthrough.py
