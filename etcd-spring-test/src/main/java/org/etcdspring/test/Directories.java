package org.etcdspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deletes directory trees.
 *
 * @author etcd-spring
 * @since 0.1.0
 */
final class Directories {

	private Directories() {
	}

	/**
	 * Delete a directory and everything below it, if it exists.
	 * @param root the directory to delete
	 */
	static void deleteRecursively(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try {
			Files.walkFileTree(root, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					Files.deleteIfExists(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
					if (failure != null && !(failure instanceof NoSuchFileException)) {
						throw failure;
					}
					Files.deleteIfExists(directory);
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not delete " + root, ex);
		}
	}

}
