"""The psoas training domain as plain typed Python: no Flask, SQLAlchemy or marshmallow."""
