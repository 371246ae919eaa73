# Production image: gunicorn serving the suite and its web app. Build: docker build -t toolsuite .

# The web app (frontend/), built once here; only its build goes into the image.
FROM node:20-slim AS frontend
WORKDIR /frontend
# The lock file first: the dependencies' layer is reused until it changes.
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements/ requirements/
RUN pip install -r requirements/prod.txt

COPY . .
# FRONTEND_DIST's default; collectstatic copies its assets to /static/app/.
COPY --from=frontend /frontend/dist frontend/dist
# Bytecode made once here: with PYTHONDONTWRITEBYTECODE every process would
# otherwise compile every tool's modules again when it starts.
RUN python -m compileall -q apps suite \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
    && useradd --create-home --uid 10001 toolsuite \
    && mkdir -p var/media && chown -R toolsuite var

USER toolsuite
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health').status != 200)"
# Port 8000 and two workers: suite/gunicorn_conf.py,
# so that WEB_CONCURRENCY and GUNICORN_CMD_ARGS can change them.
CMD ["gunicorn", "suite.wsgi", "--config", "python:suite.gunicorn_conf"]
