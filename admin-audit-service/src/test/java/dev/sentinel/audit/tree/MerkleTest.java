package dev.sentinel.audit.tree;

import dev.sentinel.audit.support.Rfc6962;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tree is RFC 6962's: the published test vectors (the Certificate Transparency leaves,
 * the roots of every size 0..8, two inclusion proofs) hold for the production classes and for
 * the independent implementation in the tests, and the two agree on every proof of larger trees.
 */
class MerkleTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 6962 test inputs (as used by certificate-transparency and transparency-dev/merkle). */
    private static final String[] INPUTS = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f"};

    /** MTH of the first n inputs, n = 0..8. */
    private static final String[] ROOTS = {
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    private static final String[] PROOF_0_OF_8 = {
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"};

    private static final String[] PROOF_5_OF_8 = {
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"};

    @Test
    void rootsOfTheReferenceTreesMatchTheVectors() {
        Store store = new Store();
        assertEquals(ROOTS[0], HEX.formatHex(Merkle.root(0, store)));
        assertEquals(ROOTS[0], HEX.formatHex(Rfc6962.root(List.of())));
        List<byte[]> leaves = new ArrayList<>();
        for (int n = 1; n <= INPUTS.length; n++) {
            byte[] leaf = Merkle.leafHash(HEX.parseHex(INPUTS[n - 1]));
            assertArrayEquals(Rfc6962.leaf(HEX.parseHex(INPUTS[n - 1])), leaf);
            leaves.add(leaf);
            store.append(leaf);
            assertEquals(ROOTS[n], HEX.formatHex(Merkle.root(n, store)), "stored-node root of size " + n);
            assertEquals(ROOTS[n], HEX.formatHex(store.frontier.root()), "frontier root of size " + n);
            assertEquals(ROOTS[n], HEX.formatHex(Rfc6962.root(leaves)), "independent root of size " + n);
        }
    }

    @Test
    void inclusionProofsMatchTheVectors() {
        Store store = new Store();
        for (String input : INPUTS) {
            store.append(Merkle.leafHash(HEX.parseHex(input)));
        }
        assertEquals(List.of(PROOF_0_OF_8), hex(Merkle.inclusionPath(0, 8, store)));
        assertEquals(List.of(PROOF_5_OF_8), hex(Merkle.inclusionPath(5, 8, store)));
        byte[] root = HEX.parseHex(ROOTS[8]);
        assertTrue(Rfc6962.verifyInclusion(0, 8, Merkle.leafHash(new byte[0]), unhex(PROOF_0_OF_8), root));
        assertTrue(Rfc6962.verifyInclusion(5, 8, Merkle.leafHash(HEX.parseHex(INPUTS[5])), unhex(PROOF_5_OF_8), root));
        assertFalse(Rfc6962.verifyInclusion(4, 8, Merkle.leafHash(HEX.parseHex(INPUTS[5])), unhex(PROOF_5_OF_8), root));
    }

    @Test
    void everyProofOfEveryTreeUpTo70LeavesVerifiesIndependently() {
        Store store = new Store();
        List<byte[]> leaves = new ArrayList<>();
        for (int n = 1; n <= 70; n++) {
            byte[] leaf = Merkle.leafHash(new byte[] {(byte) n, (byte) (n * 7)});
            leaves.add(leaf);
            store.append(leaf);
            byte[] root = Rfc6962.root(leaves);
            assertArrayEquals(root, Merkle.root(n, store));
            for (int m = 0; m < n; m++) {
                List<byte[]> path = Merkle.inclusionPath(m, n, store);
                assertTrue(Rfc6962.verifyInclusion(m, n, leaves.get(m), path, root), m + " of " + n);
                assertFalse(Rfc6962.verifyInclusion(m, n, Merkle.leafHash(new byte[] {1}), path, root));
                assertTrue(path.size() <= 64 - Long.numberOfLeadingZeros(n - 1L) + 1);
            }
        }
    }

    /** RFC 6962 consistency vectors over the same eight inputs (certificate-transparency, transparency-dev/merkle). */
    private static final Object[][] CONSISTENCY = {
            {1, 1, new String[] {}},
            {1, 8, new String[] {
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
            {6, 8, new String[] {
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
            {2, 5, new String[] {
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}}};

    @Test
    void consistencyProofsMatchTheVectors() {
        Store store = new Store();
        List<byte[]> leaves = new ArrayList<>();
        for (String input : INPUTS) {
            byte[] leaf = Merkle.leafHash(HEX.parseHex(input));
            leaves.add(leaf);
            store.append(leaf);
        }
        for (Object[] vector : CONSISTENCY) {
            int m = (Integer) vector[0];
            int n = (Integer) vector[1];
            List<String> expected = List.of((String[]) vector[2]);
            String name = "consistency " + m + " -> " + n;
            assertEquals(expected, hex(Merkle.consistencyPath(m, n, store)), name);
            assertEquals(expected, hex(Rfc6962.consistencyProof(m, leaves.subList(0, n))), name + " (independent)");
            byte[] first = HEX.parseHex(ROOTS[m]);
            byte[] second = HEX.parseHex(ROOTS[n]);
            assertTrue(Rfc6962.verifyConsistency(m, n, unhex((String[]) vector[2]), first, second), name);
            if (m < n) {
                assertFalse(Rfc6962.verifyConsistency(m, n, unhex((String[]) vector[2]), second, second), name + " wrong first root");
                assertFalse(Rfc6962.verifyConsistency(m, n, unhex((String[]) vector[2]), first, first), name + " wrong second root");
                List<byte[]> shorter = unhex((String[]) vector[2]).subList(0, ((String[]) vector[2]).length - 1);
                assertFalse(Rfc6962.verifyConsistency(m, n, shorter, first, second), name + " a hash short");
                // (A wrong size with the same path shape verifies: the signed checkpoint binds size and root.)
            }
        }
    }

    @Test
    void everyConsistencyProofUpTo40LeavesVerifiesIndependently() {
        Store store = new Store();
        List<byte[]> leaves = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            byte[] leaf = Merkle.leafHash(new byte[] {(byte) n, (byte) (n * 3)});
            leaves.add(leaf);
            store.append(leaf);
        }
        for (int n = 1; n <= 40; n++) {
            byte[] second = Rfc6962.root(leaves.subList(0, n));
            for (int m = 1; m <= n; m++) {
                List<byte[]> proof = Merkle.consistencyPath(m, n, store);
                byte[] first = Rfc6962.root(leaves.subList(0, m));
                assertEquals(hex(Rfc6962.consistencyProof(m, leaves.subList(0, n))), hex(proof), m + " -> " + n);
                assertTrue(Rfc6962.verifyConsistency(m, n, proof, first, second), m + " -> " + n);
                if (!proof.isEmpty()) {
                    List<byte[]> bent = new ArrayList<>(proof);
                    byte[] flipped = bent.get(bent.size() - 1).clone();
                    flipped[0] ^= 1;
                    bent.set(bent.size() - 1, flipped);
                    assertFalse(Rfc6962.verifyConsistency(m, n, bent, first, second), m + " -> " + n + " bent");
                }
            }
        }
    }

    @Test
    void aProofReadsLogarithmicallyManyNodes() {
        long size = 10_000_000L;
        List<Merkle.NodeId> reads = Merkle.reads(source -> Merkle.inclusionPath(1_234_567, size, source));
        assertTrue(reads.size() <= 2 * 24, "reads " + reads.size());
        assertTrue(Merkle.reads(source -> Merkle.root(size, source)).size() <= 24);
    }

    /** Nodes kept as the append path stores them (interior nodes from {@link Frontier}). */
    private static final class Store implements Merkle.NodeSource {
        final Map<Merkle.NodeId, byte[]> nodes = new HashMap<>();
        final Frontier frontier = Frontier.empty();

        void append(byte[] leaf) {
            nodes.put(new Merkle.NodeId(0, frontier.size()), leaf);
            for (Frontier.Node node : frontier.append(leaf)) {
                nodes.put(new Merkle.NodeId(node.level(), node.index()), node.hash());
            }
        }

        @Override
        public byte[] node(int level, long index) {
            byte[] hash = nodes.get(new Merkle.NodeId(level, index));
            if (hash == null) {
                throw new IllegalStateException("no node " + level + "/" + index);
            }
            return hash;
        }
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    private static List<byte[]> unhex(String[] hashes) {
        return java.util.Arrays.stream(hashes).map(HEX::parseHex).toList();
    }
}
