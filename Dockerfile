# HipLens: one Streamlit process serving the app on port 8501 (deploy/README.md; Kubernetes: deploy/k8s/).
#   docker build -t hiplens:0.1.0 .
#   docker run --rm -p 8501:8501 -e STREAMLIT_SERVER_COOKIE_SECRET="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')" hiplens:0.1.0
# Several containers behind a proxy must share that cookie secret. Nothing is fetched at run time.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Debian's Chromium draws the charts of handouts and slides (Kaleido); the app falls back without it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY .streamlit ./.streamlit
COPY app.py serve.py ./
COPY components ./components
COPY pages ./pages
COPY static ./static
COPY data ./data
# Refuse to build an image whose content is invalid; compile while the files are still writable.
RUN python -m components.knowledge check && python -m compileall -q /app

RUN groupadd --system --gid 10001 hiplens \
    && useradd --system --uid 10001 --gid hiplens --home-dir /home/hiplens --create-home --shell /usr/sbin/nologin hiplens
USER 10001:10001
ENV HOME=/home/hiplens

EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]

CMD ["python", "serve.py", \
     "--server.port", "8501", \
     "--server.address", "0.0.0.0", \
     "--server.headless", "true", \
     "--server.scriptHealthCheckEnabled", "true", \
     "--server.fileWatcherType", "none", \
     "--browser.gatherUsageStats", "false", \
     "--global.developmentMode", "false"]
