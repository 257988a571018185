"""Alembic environment of the game store: run against the connection the store hands over."""

from alembic import context
from sqlalchemy import create_engine

from sim.game.store import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


conn = config.attributes.get("connection")
if conn is not None:
    _run(conn)
else:  # the alembic command line: `alembic -x url=... upgrade head` with script_location set
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    with create_engine(url).connect() as c:
        _run(c)
        c.commit()
