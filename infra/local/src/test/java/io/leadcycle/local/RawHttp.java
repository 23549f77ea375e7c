package io.leadcycle.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection, for requests that {@code java.net.http}
 * refuses to send: raw bytes in the request line (NUL, invalid UTF-8, quotes), any header name or value,
 * over-long lines, unknown methods.
 */
final class RawHttp {

  /** An answer: status (0 when the server closed without answering), lower-cased header names, body. */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {
  }

  /** Text whose characters are the given UTF-8 bytes, so that they reach the wire as they are (ISO-8859-1). */
  static String bytes(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /**
   * The bytes of a request. {@code target} and header values go on the wire as ISO-8859-1 (one byte per
   * character); {@code Host} and {@code Connection: close} are added; {@code Content-Length} when there
   * is a body.
   */
  static byte[] request(String method, String target, List<String[]> headers, byte[] body) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: localhost\r\nConnection: close\r\n");
    for (String[] header : headers) {
      head.append(header[0]).append(": ").append(header[1]).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (body == null) {
      return start;
    }
    byte[] all = Arrays.copyOf(start, start.length + body.length);
    System.arraycopy(body, 0, all, start.length, body.length);
    return all;
  }

  /** Sends {@code request} as it is and reads one answer (30 s at most). */
  static Response send(int port, byte[] request, boolean head) throws IOException {
    return send(port, request, head, 30_000);
  }

  /**
   * Sends {@code request} as it is and reads one answer. Status 0 when the server closed the connection or
   * said nothing within {@code timeoutMillis}.
   */
  static Response send(int port, byte[] request, boolean head, int timeoutMillis) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may answer (414, 431, 413) and close before it has read everything: read its answer.
      }
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[16 * 1024];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          received.write(buffer, 0, n);
          Response complete = parse(received.toByteArray(), head, false);
          if (complete != null) {
            return complete;
          }
        }
      } catch (SocketTimeoutException e) {
        if (received.size() > 0) {
          throw new IOException("no complete answer within " + timeoutMillis + " ms; received: "
              + new String(received.toByteArray(), 0, Math.min(received.size(), 300), StandardCharsets.ISO_8859_1), e);
        }
      } catch (IOException e) {
        // reset: whatever arrived before is the answer
      }
      Response response = parse(received.toByteArray(), head, true);
      return response == null ? new Response(0, Map.of(), new byte[0]) : response;
    }
  }

  /** The answer in {@code raw}; null while it is incomplete (unless the connection {@code ended}). */
  private static Response parse(byte[] raw, boolean head, boolean ended) throws IOException {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
    if (end < 0) {
      if (ended && raw.length > 0) {
        throw new IOException("an answer without the end of its head: "
            + new String(raw, 0, Math.min(raw.length, 300), StandardCharsets.ISO_8859_1));
      }
      return null;
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = Integer.parseInt(statusLine[1]);
    if (status >= 100 && status < 200) { // interim (100 Continue): the answer follows
      return parse(Arrays.copyOfRange(raw, end + 4, raw.length), head, ended);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    byte[] rest = Arrays.copyOfRange(raw, end + 4, raw.length);
    if (head) {
      return new Response(status, headers, new byte[0]);
    }
    List<String> encoding = headers.get("transfer-encoding");
    if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
      byte[] body = unchunk(rest);
      if (body == null && ended) {
        throw new IOException("a chunked body without its last chunk");
      }
      return body == null ? null : new Response(status, headers, body);
    }
    List<String> length = headers.get("content-length");
    if (length != null) {
      int n = Integer.parseInt(length.get(0));
      if (rest.length < n) {
        if (ended) {
          throw new IOException("a body of " + rest.length + " bytes, announced " + n);
        }
        return null;
      }
      return new Response(status, headers, Arrays.copyOf(rest, n));
    }
    return ended ? new Response(status, headers, rest) : null;
  }

  /** The body of a chunked answer; null while its last chunk has not arrived. */
  private static byte[] unchunk(byte[] chunked) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = indexOf(chunked, new byte[] {'\r', '\n'}, at);
      if (lineEnd < 0) {
        return null;
      }
      String size = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
      if (n == 0) {
        return body.toByteArray();
      }
      if (lineEnd + 2 + n > chunked.length) {
        return null;
      }
      body.write(chunked, lineEnd + 2, n);
      at = lineEnd + 2 + n + 2;
    }
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
