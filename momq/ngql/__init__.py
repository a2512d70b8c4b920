"""momq.ngql"""
