SELEC id FROM app_users WHERE false;
