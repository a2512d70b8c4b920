"""momq.engines"""
