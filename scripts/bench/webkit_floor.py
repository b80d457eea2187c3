"""The memory floor of WebKitGTK itself: one GTK window with one WebKitWebView
showing a small local page, no Nook code at all. Its processes' PSS is what
any WebKitGTK app pays on this machine before doing anything (the figure
docs/BENCHMARKS.md compares Nook's idle memory with).

Run under an X display with Debian's python3-gi and gir1.2-webkit2-4.1:
    /usr/bin/python3 scripts/bench/webkit_floor.py   (prints the window's pid, then exits after 30 s)
"""

import os

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402

window = Gtk.Window(title="WebKitGTK floor")
window.set_default_size(1040, 720)
view = WebKit2.WebView()
view.load_html("<!doctype html><html><body><h1>Floor</h1><p>A small local page.</p></body></html>", "about:blank")
window.add(view)
window.show_all()
print(os.getpid(), flush=True)
GLib.timeout_add_seconds(30, Gtk.main_quit)
Gtk.main()
