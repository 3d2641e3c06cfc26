"""Mandate's benchmark harness: processes, tools, wrk, nginx and the scenario registry.

run.py is the command line; scenarios live in harness/scenarios/ and register
themselves with harness.registry.register. Standard library only; the harness
shells out to nginx and wrk (installed from Debian's packages when missing).
"""
