"""momq.evaluate"""
