# Read by the `flask` command (python-dotenv): `flask db upgrade`, `flask seed`, `flask run`
# need no --app. Settings belong in the environment or in .env (see .env.example), not here.
FLASK_APP=wsgi
