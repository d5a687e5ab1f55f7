"""Hostile text an editor or author could type into any field.

Every payload that could run sets ``window.__xss`` (and most also call ``alert``), so a
browser test can tell whether any of them ran. Sources: the OWASP XSS filter evasion
cheat sheet, the HTML parsing rules for raw-text elements, and what a CMS renders.
"""

MARK = "window.__xss=1"

PAYLOADS = [
    # Script elements, plain, nested and broken up
    f"<script>{MARK};alert(1)</script>",
    f"<ScRiPt>{MARK}</sCrIpT>",
    f"<scr<script>ipt>{MARK}</scr</script>ipt>",
    f'<script src="data:text/javascript,{MARK}"></script>',
    # Event attributes
    f"<img src=x onerror={MARK};alert(1)>",
    f'<body onload="{MARK}">',
    f'<div onmouseover="{MARK}" style="position:fixed;inset:0">悬停</div>',
    f"<details open ontoggle={MARK}>",
    f"<input autofocus onfocus={MARK}>",
    # javascript: and data: URLs, mixed case, entity- and whitespace-encoded
    f'<a href="javascript:{MARK}">链接</a>',
    f'<a href="JaVaScRiPt:{MARK}">链接</a>',
    f'<a href="jav&#x09;ascript:{MARK}">链接</a>',
    f'<a href=" &#14; javascript:{MARK}">链接</a>',
    f'<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==">{MARK}</a>',
    f'<iframe src="javascript:{MARK}"></iframe>',
    f'<form action="javascript:{MARK}"><button formaction="javascript:{MARK}">提交</button>',
    # SVG and MathML
    f"<svg onload={MARK}>",
    f"<svg><script>{MARK}</script></svg>",
    f'<svg><a xlink:href="javascript:{MARK}"><text y="20">点</text></a></svg>',
    f'<math><mtext><table><mglyph><style><img src=x onerror="{MARK}">',
    # CSS
    f'<p style="background:url(javascript:{MARK})">样式</p>',
    f'<p style="width:expression({MARK})">样式</p>',
    f"<style>@import 'javascript:{MARK}';body{{background:red}}</style>",
    # Broken and unclosed markup
    f"<img src=x onerror={MARK}",
    f"<<img src=x onerror={MARK}//<",
    f"<!--<img src=x onerror={MARK}>-->",
    # Breaking out of raw-text elements and attributes
    f"</script><script>{MARK}</script>",
    f"</title><script>{MARK}</script>",
    f"</textarea><script>{MARK}</script>",
    f"</style><script>{MARK}</script>",
    f'"><img src=x onerror={MARK}>',
    f"'><img src=x onerror={MARK}>",
    f'" autofocus onfocus="{MARK}" x="',
    # JSON-LD breakouts
    f'"}}</script><script>{MARK}</script>',
    f"\\u003c/script\\u003e<script>{MARK}</script>",
    # Template syntax (never evaluated: data is not a template)
    "{{ request.META }}{% debug %}{{ 7|add:7 }}",
    "{% load static %}{% csrf_token %}${{7*7}}",
    # Text that turns itself around, NUL and other control characters
    "\u202eexe.吉首新闻\u202c 正常标题",
    "标题\x00<script>window.__xss=1</script>",
    "标题\x01\x08\x0b\x1f\x7f控制字符",
    # A spreadsheet formula (the 审稿单 CSV export)
    '=HYPERLINK("http://evil.example/","点击")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
]

# What a field meant to hold a web address must refuse.
HOSTILE_URLS = [
    f"javascript:{MARK}",
    f"JavaScript:{MARK}",
    f" javascript:{MARK}",
    f"jav\tascript:{MARK}",
    f"data:text/html,<script>{MARK}</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example.cn/a.txt",
]
