# API + dashboard in one image. Build: docker build -t vanguard .   (docker-compose.yml does this)
FROM node:20-bookworm-slim AS spa
WORKDIR /app
COPY openapi/openapi.json openapi/openapi.json
COPY frontend/package.json frontend/package-lock.json frontend/
RUN cd frontend && npm ci --no-audit --no-fund
COPY frontend frontend
RUN cd frontend && npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VANGUARD_SPA_DIR=/app/frontend/dist
WORKDIR /app
COPY backend/requirements.lock backend/pyproject.toml backend/
RUN pip install --no-cache-dir uv==0.13.9 && uv pip install --system --no-cache -r backend/requirements.lock
COPY backend backend
RUN uv pip install --system --no-cache --no-deps -e backend
COPY --from=spa /app/frontend/dist frontend/dist
RUN useradd --create-home vanguard && mkdir -p /app/data && chown vanguard /app/data
USER vanguard
EXPOSE 8000
CMD ["sh", "-c", "vanguard migrate && vanguard serve --host 0.0.0.0 --port 8000 --workers ${VANGUARD_WORKERS:-2}"]
