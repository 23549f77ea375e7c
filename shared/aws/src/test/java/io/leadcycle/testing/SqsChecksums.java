package io.leadcycle.testing;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * The MD5 checksums SQS answers and puts in events, for fake SQS endpoints: the AWS SDK checks
 * {@code MD5OfMessageBody} and {@code MD5OfMessageAttributes} against what it sent, so a fake computes them
 * as SQS does rather than a test switching the check off.
 */
public final class SqsChecksums {

  private SqsChecksums() {
  }

  public static String md5Hex(String text) {
    return md5Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String md5Hex(byte[] bytes) {
    return HexFormat.of().formatHex(md5().digest(bytes));
  }

  /**
   * MD5OfMessageAttributes of the JSON protocol's {@code MessageAttributes}: per attribute, in name order,
   * the name, the data type and then 1 and the UTF-8 string value or 2 and the binary value, each
   * length-prefixed (4 bytes, big endian).
   */
  public static String attributesMd5(JsonObject attributes) {
    MessageDigest digest = md5();
    for (String name : new TreeMap<>(attributes.getMap()).keySet()) {
      JsonObject value = attributes.getJsonObject(name);
      lengthPrefixed(digest, name.getBytes(StandardCharsets.UTF_8));
      lengthPrefixed(digest, value.getString("DataType").getBytes(StandardCharsets.UTF_8));
      if (value.containsKey("StringValue")) {
        digest.update((byte) 1);
        lengthPrefixed(digest, value.getString("StringValue").getBytes(StandardCharsets.UTF_8));
      } else {
        digest.update((byte) 2);
        lengthPrefixed(digest, Base64.getDecoder().decode(value.getString("BinaryValue")));
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void lengthPrefixed(MessageDigest digest, byte[] bytes) {
    digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    digest.update(bytes);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
