package dev.bootj.system.etc;

/** The kinds of entry an /etc tree can hold. */
public enum EtcEntryType {
  FILE("file"),
  DIRECTORY("directory"),
  SYMLINK("symlink"),
  FIFO("FIFO"),
  CHARACTER_DEVICE("character device"),
  BLOCK_DEVICE("block device"),
  /** Cannot be copied (a socket belongs to a running process); the merge refuses to carry one. */
  SOCKET("socket");

  private final String label;

  EtcEntryType(String label) {
    this.label = label;
  }

  /** Lowercase words for messages, e.g. "symlink". */
  public String label() {
    return label;
  }

  static EtcEntryType fromStatMode(int stMode) {
    return switch (stMode & 0170000) {
      case 0100000 -> FILE;
      case 0040000 -> DIRECTORY;
      case 0120000 -> SYMLINK;
      case 0010000 -> FIFO;
      case 0020000 -> CHARACTER_DEVICE;
      case 0060000 -> BLOCK_DEVICE;
      case 0140000 -> SOCKET;
      default -> throw new IllegalArgumentException("unknown file type in st_mode " + stMode);
    };
  }
}
