"""Atom feeds (RFC 4287) of the public record: new proposals per theme, decisions, plan
versions. Built with feedgen; readers poll them with If-Modified-Since / If-None-Match."""
