FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
COPY . .
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput
RUN useradd --system claimlab && chown -R claimlab /app
USER claimlab
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--worker-class", "sync", "--workers", "5"]
