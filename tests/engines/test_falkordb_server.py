def test_falkordb_server_runs(falkordb_server):
    st = falkordb_server.status()
    assert st.running and st.version.startswith("FalkorDB 4"), st
    g = falkordb_server.client().select_graph("t")
    assert g.query("RETURN 1+1").result_set == [[2]]
