"""A real PostgreSQL server for the tests: a fresh database cluster in a temp folder, on a free loopback port.

The server comes from Debian's ``postgresql`` package (``initdb`` and
``postgres`` under ``/usr/lib/postgresql/<version>/bin``). PostgreSQL refuses
to run as root, so on a root machine it runs as the package's ``postgres``
system user. Clients log in over TCP on 127.0.0.1 with a generated password
(scram-sha-256); ``uri`` gives the SQLAlchemy URI of a database for MLflow.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from nanvix_exp.tracking.tools.server import free_port
from tests.daemons import Daemon, listening

USER = "nanvix"
"""The database superuser the tests log in as."""


def postgres_bin() -> Path | None:
    """The ``bin`` folder of the newest installed PostgreSQL server, or None when there is none."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    found = shutil.which("postgres")
    return Path(found).resolve().parent if found else None


@dataclass
class PostgresServer:
    """A running PostgreSQL server owned by the test session."""

    daemon: Daemon
    port: int
    password: str

    @classmethod
    def start(cls, root: Path, binaries: Path) -> PostgresServer:
        """``initdb`` a new cluster under ``root`` and start its server on a free 127.0.0.1 port."""
        owner = "postgres" if os.geteuid() == 0 else None
        home = root / "postgres"
        home.mkdir()
        if owner:
            account = pwd.getpwnam(owner)
            os.chown(home, account.pw_uid, account.pw_gid)
        password = secrets.token_hex(16)
        secret = home / "password"
        secret.write_text(password + "\n")
        if owner:
            os.chown(secret, account.pw_uid, account.pw_gid)
        data = home / "data"
        initdb = [str(binaries / "initdb"), "-D", str(data), "-U", USER, f"--pwfile={secret}", "--auth=scram-sha-256"]
        subprocess.run([*initdb, "-E", "UTF8", "--locale=C"], check=True, capture_output=True, user=owner, timeout=120)
        secret.unlink()
        port = free_port()
        server = [str(binaries / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(port), "-k", str(data)]
        daemon = Daemon.start("postgres", server, root / "postgres.log", user=owner)
        running = cls(daemon, port, password)
        daemon.wait_for(listening(port), f"port {port}")
        daemon.wait_for(running.accepts_logins, "logins")
        return running

    def uri(self, database: str) -> str:
        """SQLAlchemy URI of ``database`` (the psycopg2 driver, as the MLflow server needs it)."""
        return f"postgresql+psycopg2://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):  # -> psycopg2 connection
        """A psycopg2 connection to ``database`` as the test superuser."""
        import psycopg2

        return psycopg2.connect(
            host="127.0.0.1", port=self.port, user=USER, password=self.password, dbname=database, connect_timeout=5
        )

    def accepts_logins(self) -> bool:
        """True once the server has finished starting and lets the test user in."""
        import psycopg2

        try:
            self.connect().close()
        except psycopg2.OperationalError:
            return False
        return True

    def create_database(self, name: str) -> str:
        """Create the database ``name``; returns its URI."""
        connection = self.connect()
        try:
            connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return self.uri(name)

    def stop(self) -> None:
        """Shut the server down (SIGTERM: no new sessions, then exit)."""
        self.daemon.stop()
