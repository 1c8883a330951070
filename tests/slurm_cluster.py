"""A real single-node SLURM cluster for the tests, with job accounting, all of its state in one temp folder.

Debian's packages, run as root without an init system: ``munged`` with a
freshly generated key authenticates the daemons and clients, MariaDB holds
the accounting database that ``slurmdbd`` serves (so ``sacct`` answers, which
is how submitit follows its jobs), ``slurmctld`` schedules and ``slurmd`` runs
the jobs on this machine. The node is declared with this machine's name, CPU
count and memory, in one partition whose cores take two jobs each (an array
of four tasks runs at once on a 2-core machine). Every daemon listens on a
free loopback port; clients find the cluster through ``SLURM_CONF``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from nanvix_exp.tracking.tools.server import free_port
from tests.daemons import Daemon, listening

PACKAGES = {
    "munged": "munge",
    "mungekey": "munge",
    "mariadbd": "mariadb-server",
    "mariadb-install-db": "mariadb-server",
    "slurmdbd": "slurmdbd",
    "slurmctld": "slurmctld",
    "slurmd": "slurmd",
    "sbatch": "slurm-client",
}
"""Programs the cluster needs, and the Debian package of each."""
SEARCH_PATH = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"


def program(name: str) -> str | None:
    """Full path of an installed program (daemons live in /usr/sbin, which a user's PATH may lack)."""
    return shutil.which(name, path=SEARCH_PATH)


def missing_packages() -> list[str]:
    """Debian packages still to install before a cluster can start (empty when all are there)."""
    return sorted({package for name, package in PACKAGES.items() if program(name) is None})


@dataclass
class SlurmCluster:
    """The running daemons of a one-node cluster and the client environment that reaches it."""

    root: Path
    node: str
    daemons: list[Daemon] = field(default_factory=list)

    @property
    def environment(self) -> dict[str, str]:
        """Environment variables that point SLURM clients (sbatch, squeue, sacct, scancel) at this cluster."""
        return {"SLURM_CONF": str(self.root / "slurm" / "slurm.conf")}

    @classmethod
    def start(cls, root: Path) -> SlurmCluster:
        """Generate the keys and configs under ``root`` and start munged, MariaDB, slurmdbd, slurmctld, slurmd."""
        cluster = cls(root, socket.gethostname().split(".")[0])
        try:
            cluster._start_daemons()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def run(self, *command: str, check: bool = True) -> str:
        """Run a SLURM client command against this cluster; returns its standard output."""
        done = subprocess.run(
            command, env={**os.environ, **self.environment}, capture_output=True, text=True, timeout=60, check=False
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited with {done.returncode}: {done.stderr.strip()}")
        return done.stdout

    def queued(self) -> list[str]:
        """Ids of the jobs (array tasks) still pending or running."""
        return self.run("squeue", "--noheader", "--array", "--format=%i").split()

    def wait_idle(self, timeout: float = 120.0) -> None:
        """Block until no job is pending or running."""
        deadline = time.monotonic() + timeout
        while self.queued():
            if time.monotonic() > deadline:
                raise TimeoutError(f"jobs still queued after {timeout:g} s: {self.queued()}")
            time.sleep(0.5)

    def accounting(self, job_id: str) -> dict[str, str]:
        """State of each task of job (array) ``job_id`` as ``sacct`` reports it, e.g. {'12_0': 'COMPLETED'}."""
        lines = self.run("sacct", "--noheader", "--parsable2", "--format=JobID,State", "-j", job_id).splitlines()
        return {task: state for task, state in (line.split("|") for line in lines) if "." not in task}

    def cancel_all(self) -> None:
        """Cancel every job of this user and wait until they are gone."""
        self.run("scancel", "--full", f"--user={os.getuid()}")
        self.wait_idle()

    def stop(self) -> None:
        """Cancel what is left, then stop the daemons in reverse order of start."""
        try:
            if any(d.name == "slurmctld" and d.process.poll() is None for d in self.daemons):
                self.cancel_all()
        finally:
            for daemon in reversed(self.daemons):
                daemon.stop()

    def _start_daemons(self) -> None:
        for folder in ("munge", "munge-socket", "mariadb", "slurm/state", "slurm/spool"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        os.chmod(self.root / "munge", 0o700)  # munged refuses a key others could read
        socket_path = self.root / "munge-socket" / "munge.socket"
        key = self.root / "munge" / "munge.key"
        subprocess.run([program("mungekey"), "--create", f"--keyfile={key}"], check=True, capture_output=True)
        munged = self._daemon(
            "munged",
            [
                "--foreground",
                f"--socket={socket_path}",
                f"--key-file={key}",
                f"--pid-file={self.root / 'munge' / 'munged.pid'}",
                f"--seed-file={self.root / 'munge' / 'munged.seed'}",
                f"--log-file={self.root / 'munge' / 'munged.log'}",
            ],
        )
        munged.wait_for(socket_path.exists, "munge socket")

        database_port, password = free_port(), secrets.token_hex(16)
        self._mariadb(database_port, password).wait_for(listening(database_port), f"port {database_port}")
        dbd_port, controller_port, node_port = free_port(), free_port(), free_port()
        (self.root / "slurm" / "slurm.conf").write_text(
            self._slurm_conf(socket_path, dbd_port, controller_port, node_port)
        )
        dbd_conf = self.root / "slurm" / "slurmdbd.conf"  # read from the folder of slurm.conf; private to root
        dbd_conf.touch(mode=0o600)
        dbd_conf.write_text(self._slurmdbd_conf(socket_path, dbd_port, database_port, password))
        self._daemon("slurmdbd", ["-D"]).wait_for(listening(dbd_port), f"port {dbd_port}")
        self._daemon("slurmctld", ["-D", "-i"]).wait_for(listening(controller_port), f"port {controller_port}")
        slurmd = self._daemon("slurmd", ["-D", "-N", self.node])
        slurmd.wait_for(self._node_idle, f"node {self.node} idle")

    def _daemon(self, name: str, arguments: list[str]) -> Daemon:
        daemon = Daemon.start(name, [program(name), *arguments], self.root / f"{name}.log", env=self.environment)
        self.daemons.append(daemon)
        return daemon

    def _mariadb(self, port: int, password: str) -> Daemon:
        data = self.root / "mariadb" / "data"
        install = [program("mariadb-install-db"), "--no-defaults", f"--datadir={data}", "--user=root"]
        install += ["--skip-test-db", "--auth-root-authentication-method=normal"]
        subprocess.run(install, check=True, capture_output=True, timeout=120)
        grants = self.root / "mariadb" / "init.sql"
        grants.touch(mode=0o600)
        grants.write_text(
            "CREATE DATABASE IF NOT EXISTS slurm_acct_db;\n"
            f"CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '{password}';\n"
            "GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';\n"
        )
        return self._daemon(
            "mariadbd",
            [
                "--no-defaults",
                f"--datadir={data}",
                "--user=root",
                "--bind-address=127.0.0.1",
                f"--port={port}",
                f"--socket={self.root / 'mariadb' / 'mysqld.sock'}",
                f"--pid-file={self.root / 'mariadb' / 'mysqld.pid'}",
                "--skip-name-resolve",
                f"--init-file={grants}",
            ],
        )

    def _node_idle(self) -> bool:
        state = self.run("sinfo", "--noheader", f"--nodes={self.node}", "--format=%T", check=False).strip()
        return state == "idle"

    def _slurm_conf(self, munge_socket: Path, dbd_port: int, controller_port: int, node_port: int) -> str:
        slurm = self.root / "slurm"
        memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
        return f"""\
# One-node test cluster generated by tests/slurm_cluster.py
ClusterName=nanvix-test
SlurmctldHost={self.node}(127.0.0.1)
SlurmctldPort={controller_port}
SlurmdPort={node_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={munge_socket}
StateSaveLocation={slurm / "state"}
SlurmdSpoolDir={slurm / "spool"}
SlurmctldPidFile={slurm / "slurmctld.pid"}
SlurmdPidFile={slurm / "slurmd.pid"}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# job accounting through slurmdbd: sacct answers, so submitit sees COMPLETED, CANCELLED, TIMEOUT
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort={dbd_port}
AccountingStoragePass={munge_socket}
JobAcctGatherType=jobacct_gather/none
NodeName={self.node} NodeAddr=127.0.0.1 CPUs={os.cpu_count()} RealMemory={memory_mb * 9 // 10} State=UNKNOWN
PartitionName=test Nodes={self.node} Default=YES MaxTime=INFINITE OverSubscribe=FORCE:2 State=UP
"""

    def _slurmdbd_conf(self, munge_socket: Path, dbd_port: int, database_port: int, password: str) -> str:
        return f"""\
AuthType=auth/munge
AuthInfo=socket={munge_socket}
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort={dbd_port}
SlurmUser=root
PidFile={self.root / "slurm" / "slurmdbd.pid"}
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort={database_port}
StorageUser=slurm
StoragePass={password}
StorageLoc=slurm_acct_db
"""
