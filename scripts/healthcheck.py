"""Container healthcheck: exit 0 when the portal's /health/ answers 200 for the given checks (no curl in the image).

python scripts/healthcheck.py database,cache,storage
"""

import os
import sys
import urllib.error
import urllib.request

checks = sys.argv[1] if len(sys.argv) > 1 else ""
port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
url = f"http://127.0.0.1:{port}/health/" + (f"?checks={checks}" if checks else "")
try:
    with urllib.request.urlopen(url, timeout=8) as response:
        sys.exit(0 if response.status == 200 else 1)
except (urllib.error.URLError, OSError) as error:
    print(f"unhealthy: {error}", file=sys.stderr)
    sys.exit(1)
