def test_falkordb_server_runs(falkordb_server):
    st = falkordb_server.status()
    assert st.running and st.version.startswith("FalkorDB 4"), st
    g = falkordb_server.client().select_graph("t")
    assert g.query("RETURN 1+1").result_set == [[2]]


def test_falkordb_stop_leaves_no_process(tmp_path):
    from pathlib import Path

    from momq.engines.falkordb_server import FalkorDBServer

    server = FalkorDBServer(tmp_path / "falkordb")
    pid = server.start().pid
    assert Path(f"/proc/{pid}").exists()
    server.stop()
    server.stop()  # idempotent
    gone = not Path(f"/proc/{pid}").exists() or Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] == "Z"
    assert gone and server.pid() is None and not server.status().running
