package io.leadcycle.conformance.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The cold-start benchmark's second baseline: a plain Java function that answers from the same database
 * as the functions, the same way in (TLS, SCRAM as the functions' role) with the least code there is
 * (PostgreSQL's JDBC driver, one query, a hand-written answer) — the floor of "a request answered from
 * PostgreSQL".
 */
public final class DatabaseFunction implements RequestStreamHandler {

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    input.readAllBytes();
    Properties login = new Properties();
    login.setProperty("user", System.getenv("DB_USER"));
    login.setProperty("password", System.getenv("DB_PASSWORD"));
    login.setProperty("sslmode", System.getenv("DB_SSL_MODE"));
    String url = "jdbc:postgresql://" + System.getenv("DB_HOST") + ":" + System.getenv("DB_PORT") + "/"
        + System.getenv("DB_NAME");
    try (Connection connection = DriverManager.getConnection(url, login);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM forms")) {
      rows.next();
      output.write(("{\"statusCode\":200,\"body\":\"" + rows.getLong(1) + " forms\"}").getBytes(StandardCharsets.UTF_8));
    } catch (SQLException e) {
      throw new IOException(e);
    }
  }
}
