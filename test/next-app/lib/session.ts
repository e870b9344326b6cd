import { flaskConfigFromEnv, sessionOptionsFromFlaskConfig } from 'flask-session-cookie';

// The Flask app's own config, from the same FLASK_* variables (Flask: app.config.from_prefixed_env())
export const options = sessionOptionsFromFlaskConfig(flaskConfigFromEnv(process.env));
