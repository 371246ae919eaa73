"""Pattern 2.4: the application, with its lifespan, CORS and /health."""

import os
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import components
from app.database import engine
from app.models import Base


@asynccontextmanager
async def lifespan(app: FastAPI):
    # Startup: Create tables if needed
    Base.metadata.create_all(bind=engine)
    yield


app = FastAPI(title="Seed stack: components", version="1.0.0", lifespan=lifespan)

origins = [
    "http://localhost:3000",
    "http://localhost:8080",
    os.getenv("FRONTEND_URL", ""),
]

app.add_middleware(
    CORSMiddleware,
    allow_origins=origins,
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)

app.include_router(components.router, prefix="/api/v1")


@app.get("/health")
def health_check():
    return {"status": "healthy"}
