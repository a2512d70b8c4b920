"""momq.adapter"""
