"""The XSS corpus and a checker that finds executable markup in a page."""
from __future__ import annotations

from html.parser import HTMLParser

TEMPLATE_MARK = "zq{{7*7}}zq"

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>document.body.innerHTML=''</script>",
    "\"><script>alert(document.cookie)</script>",
    "'><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"document.body.innerHTML=''\">",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<a href=\"javascript:alert(1)\">clic</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">clic</a>",
    "<a href=\"&#106;avascript:alert(1)\">clic</a>",
    "<a href=\" javascript:alert(1)\">clic</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">clic</a>",
    "<a href=\"vbscript:msgbox(1)\">clic</a>",
    "<div onmouseover=\"alert(1)\">pase el ratón</div>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"https://evil.example/\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<style>body{display:none}</style>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div hx-get=\"/auth/logout\" hx-trigger=\"load\">x</div>",
    "<div hx-on:click=\"alert(1)\">x</div>",
    "[clic](javascript:alert(1))",
    "[clic](JAVASCRIPT:alert(1))",
    "[clic](javascript&#58;alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[clic](vbscript:alert(1))",
    "![img](javascript:alert(1))",
    "![x](x\"onerror=\"alert(1))",
    "[a](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[x]: javascript:alert(1)\n\n[x]",
    "`<script>alert(1)</script>`",
    "**<img src=x onerror=alert(1)>**",
    "{{7*7}}",
    TEMPLATE_MARK,
    "{{ config }}{{ self.__init__.__globals__ }}",
    "{% for x in range(3) %}x{% endfor %}",
    "${7*7} #{7*7} <%= 7*7 %>",
    "\u202e<script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!--<script>alert(1)//--></script>",
    "<![CDATA[<script>alert(1)</script>]]>",
]
assert len(PAYLOADS) >= 40

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc",
                  "background", "poster"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "style",
                  }  # <svg> and <math> alone are inert (the app draws charts); handlers are caught
PAYLOAD_WORDS = ("alert(", "evil", "logout", "javascript")


class _Auditor(HTMLParser):
    def __init__(self, allowed_script_prefix: str):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.allowed = allowed_script_prefix
        self._in_script = False
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "head":
            self._in_head = True
        if tag == "script":
            src = attributes.get("src") or ""
            if not src.startswith(self.allowed):
                self.problems.append(f"script tag src={src!r}")
            self._in_script = True
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        href = attributes.get("href") or ""
        own_feed = attributes.get("rel") == "alternate" and href.startswith("/feeds/")
        if tag == "link" and not (self._in_head and (href.startswith("/static/") or own_feed)):
            self.problems.append(f"foreign link {attributes}")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append("meta http-equiv")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"handler {name}={value!r} on <{tag}>")
            if name.startswith("hx-") and any(word in (value or "") for word in PAYLOAD_WORDS):
                self.problems.append(f"htmx attribute {name}={value!r} from input")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                cleaned = "".join(ch for ch in value if ch > " ").lower()
                if cleaned.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "head":
            self._in_head = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script {data[:60]!r}")


def executable_markup(html: str, static_prefix: str = "/static/") -> list[str]:
    """What in `html` could run script or restyle/redirect the page; empty when safe."""
    auditor = _Auditor(static_prefix)
    auditor.feed(html)
    auditor.close()
    problems = auditor.problems
    if "zq49zq" in html:
        problems.append("template expression evaluated")
    return problems
