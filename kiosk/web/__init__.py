"""The ``web`` role: the visitor's phone page, the congestion page and the board as a web page.

Runs on the web host in the internet segment. It holds no connection into the queue's database
and imports neither Qt, nor devices, nor storage: it keeps in memory only the anonymous public
state the inner side publishes (:mod:`kiosk.feed`), and the phones' small messages until the
inner side pulls them.
"""
