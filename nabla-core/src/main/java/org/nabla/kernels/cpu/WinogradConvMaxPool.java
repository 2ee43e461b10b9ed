package org.nabla.kernels.cpu;

import static org.nabla.kernels.cpu.ImplicitConv.MR;
import static org.nabla.kernels.cpu.ImplicitConv.NR;
import static org.nabla.kernels.cpu.ImplicitConv.S;
import static org.nabla.kernels.cpu.ImplicitConv.V;

import jdk.incubator.vector.FloatVector;
import org.nabla.ops.NnOps;

/**
 * FusedConv2D's inference form y = maxpool_2(relu(conv_3x3(x, filter) + bias)) by Winograd's minimal filtering
 * F(2x2, 3x3): the 2x2 outputs one pool window takes are one Winograd tile, computed from its 4x4 input patch as
 * A^T [(G g G^T) . (B^T d B)] A. Per tile and channel pair that is 16 multiplies instead of 36, so the product,
 * 16 GEMMs [tiles, C] x [C, OC] (one per point of the 4x4 transform, run by {@link ImplicitConv#kernel}), does 2.25x
 * fewer multiply-adds than the direct convolution; the input and output transforms are additions only.
 *
 * <p>The sums differ from the direct convolution's in rounding (float tolerance; the tests bound it), and are the
 * same bits on every run: each tile's arithmetic is the same sequence of operations whatever band or thread computes
 * it (a band's padding rows repeat its last tile and are dropped). The training path (pool with argmax) never comes
 * here, so a gradient always sees the direct convolution's activations.
 */
final class WinogradConvMaxPool {
    private WinogradConvMaxPool() {}

    /** -Dnabla.conv.winograd=false keeps the direct convolution for every fused conv + pool (comparisons). */
    private static final boolean USE = !"false".equals(System.getProperty("nabla.conv.winograd"));
    /** Fewest input channels: below it the transforms cost more than the multiplies they save. */
    private static final int MIN_CHANNELS = Integer.getInteger("nabla.conv.winogradMinChannels", 16);
    /**
     * Fewest tiles (pooled outputs per channel, all images) per call: below it the direct kernel is faster (the
     * cnn's second layer at batch 1, 25 tiles: 18 us direct, over 45 us here, measured; see benchmarks.md).
     */
    private static final int MIN_TILES = Integer.getInteger("nabla.conv.winogradMinTiles", 256);
    /** Micro-kernel blocks (MR tiles each) per band: the band's transformed input and products stay in L2. */
    private static final int BAND_BLOCKS = 4;
    /** Points of the 4x4 transform: one GEMM each. */
    private static final int POINTS = 16;

    /**
     * Whether this path takes a fused conv + pool: 3x3 filter, stride and dilation 1, 2x2 pool, ReLU, no argmax,
     * channels a multiple of the vector length (at least {@link #MIN_CHANNELS}), OC a multiple of NR, and at least
     * {@link #MIN_TILES} pooled outputs per channel over the n images.
     */
    static boolean applies(NnOps.Window2D w, int n, int c, int oc, int p, boolean relu, boolean argmax) {
        return USE && !argmax && relu && p == 2 && (long) n * (w.outH() / 2) * (w.outW() / 2) >= MIN_TILES
                && w.kH() == 3 && w.kW() == 3 && w.strideH() == 1
                && w.strideW() == 1 && w.dilH() == 1 && w.dilW() == 1 && c % V == 0 && c >= MIN_CHANNELS
                && oc % NR == 0 && w.outH() >= 2 && w.outW() >= 2;
    }

    /** y [n, outH / 2, outW / 2, oc] written entirely; arguments as {@link ImplicitConvMaxPool#forward}'s. */
    static void forward(float[] x, int n, int h, int wd, int c, NnOps.Window2D w, float[] filter, int oc,
                        float[] bias, float[] y) {
        ImplicitConv.Source src = ImplicitConv.Source.of(x, n, h, wd, c, w);
        int ph = w.outH() / 2, pw = w.outW() / 2, tiles = n * ph * pw, panels = oc / NR;
        float[] u = transformFilter(filter, c, oc);
        int blocks = (tiles + MR - 1) / MR;
        long blockFlops = 2L * MR * POINTS * c * oc;
        int grain = (int) Math.max(1, Math.min(blocks, ImplicitConvMaxPool.SPLIT_FLOPS / blockFlops));
        int rowStride = src.wd() * c, imageStride = src.h() * rowStride;
        Parallel.forRange(blocks, grain, (from, to) -> {
            int band = Math.min(BAND_BLOCKS, to - from) * MR; // tiles per band: the scratch's row count
            ConvScratch scratch = ConvScratch.get();
            float[] v = scratch.floats(0, POINTS * band * c), m = scratch.floats(1, POINTS * band * oc);
            int[] corner = scratch.ints(0, band), base = scratch.ints(1, MR);
            for (int b0 = from; b0 < to; b0 += BAND_BLOCKS) {
                int t0 = b0 * MR, rows = (Math.min(to, b0 + BAND_BLOCKS) - b0) * MR;
                int count = Math.min(tiles - t0, rows);
                for (int i = 0; i < rows; i++) {
                    int g = t0 + Math.min(i, count - 1), image = g / (ph * pw), r = g % (ph * pw) / pw, col = g % pw;
                    corner[i] = image * imageStride + 2 * r * rowStride + 2 * col * c;
                }
                transformInput(src.x(), rowStride, c, corner, rows, band, v);
                for (int xi = 0; xi < POINTS; xi++) {
                    for (int j = 0; j < panels; j++) {
                        int ui = (xi * panels + j) * c * NR;
                        for (int r0 = 0; r0 < rows; r0 += MR) {
                            for (int r = 0; r < MR; r++) base[r] = (xi * band + r0 + r) * c;
                            ImplicitConv.kernel(v, base, 1, 0, c, u, ui, NR, m, (xi * band + r0) * oc + j * NR, oc);
                        }
                    }
                }
                transformOutput(m, band, count, oc, bias, y, t0 * oc);
            }
        });
    }

    /**
     * G g G^T of every (input channel, output channel) pair of the HWIO filter, as [point][panel][C][NR]: point
     * xi's [C, OC] matrix in NR-column panels, the layout the micro-kernel reads. G = [1 0 0; .5 .5 .5; .5 -.5 .5;
     * 0 0 1] (the halves are exact). Written out: C2 keeps straight-line vectors in registers.
     */
    static float[] transformFilter(float[] f, int c, int oc) {
        int panels = oc / NR, point = panels * c * NR;
        float[] u = new float[POINTS * point];
        int tap = c * oc; // distance between filter taps (ky, kx)
        for (int ic = 0; ic < c; ic++) {
            for (int o = 0; o < oc; o += V) {
                int fi = ic * oc + o, ui = ((o / NR) * c + ic) * NR + o % NR;
                FloatVector g00 = FloatVector.fromArray(S, f, fi), g01 = FloatVector.fromArray(S, f, fi + tap);
                FloatVector g02 = FloatVector.fromArray(S, f, fi + 2 * tap);
                FloatVector g10 = FloatVector.fromArray(S, f, fi + 3 * tap);
                FloatVector g11 = FloatVector.fromArray(S, f, fi + 4 * tap);
                FloatVector g12 = FloatVector.fromArray(S, f, fi + 5 * tap);
                FloatVector g20 = FloatVector.fromArray(S, f, fi + 6 * tap);
                FloatVector g21 = FloatVector.fromArray(S, f, fi + 7 * tap);
                FloatVector g22 = FloatVector.fromArray(S, f, fi + 8 * tap);
                // rows of G g: g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2 (g = a filter column, top to bottom)
                FloatVector a0 = g00.add(g10).add(g20).mul(0.5f), a1 = g01.add(g11).add(g21).mul(0.5f);
                FloatVector a2 = g02.add(g12).add(g22).mul(0.5f);
                FloatVector b0 = g00.sub(g10).add(g20).mul(0.5f), b1 = g01.sub(g11).add(g21).mul(0.5f);
                FloatVector b2 = g02.sub(g12).add(g22).mul(0.5f);
                // each row r0 r1 r2 times G^T: r0, (r0 + r1 + r2) / 2, (r0 - r1 + r2) / 2, r2
                int p = ui;
                g00.intoArray(u, p);
                g00.add(g01).add(g02).mul(0.5f).intoArray(u, p + point);
                g00.sub(g01).add(g02).mul(0.5f).intoArray(u, p + 2 * point);
                g02.intoArray(u, p + 3 * point);
                p += 4 * point;
                a0.intoArray(u, p);
                a0.add(a1).add(a2).mul(0.5f).intoArray(u, p + point);
                a0.sub(a1).add(a2).mul(0.5f).intoArray(u, p + 2 * point);
                a2.intoArray(u, p + 3 * point);
                p += 4 * point;
                b0.intoArray(u, p);
                b0.add(b1).add(b2).mul(0.5f).intoArray(u, p + point);
                b0.sub(b1).add(b2).mul(0.5f).intoArray(u, p + 2 * point);
                b2.intoArray(u, p + 3 * point);
                p += 4 * point;
                g20.intoArray(u, p);
                g20.add(g21).add(g22).mul(0.5f).intoArray(u, p + point);
                g20.sub(g21).add(g22).mul(0.5f).intoArray(u, p + 2 * point);
                g22.intoArray(u, p + 3 * point);
            }
        }
        return u;
    }

    /**
     * v[point][tile][C] = B^T d B of each tile's 4x4 patch d (its top-left input offset in corner), channels as
     * vector lanes; B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]: rows of B^T d are d0 - d2, d1 + d2, d2 - d1,
     * d1 - d3 (patch rows), then the same combinations of each row's columns.
     */
    private static void transformInput(float[] x, int rowStride, int c, int[] corner, int rows, int band, float[] v) {
        int slab = band * c; // distance between points
        for (int t = 0; t < rows; t++) {
            for (int ch = 0; ch < c; ch += V) {
                int d = corner[t] + ch, o = t * c + ch;
                for (int col = 0; col < 4; col++, d += c, o += slab) {
                    // column col of the patch, then of B^T d: its four points (rows) col, 4 + col, 8 + col, 12 + col
                    FloatVector d0 = FloatVector.fromArray(S, x, d), d1 = FloatVector.fromArray(S, x, d + rowStride);
                    FloatVector d2 = FloatVector.fromArray(S, x, d + 2 * rowStride);
                    FloatVector d3 = FloatVector.fromArray(S, x, d + 3 * rowStride);
                    d0.sub(d2).intoArray(v, o);
                    d1.add(d2).intoArray(v, o + 4 * slab);
                    d2.sub(d1).intoArray(v, o + 8 * slab);
                    d1.sub(d3).intoArray(v, o + 12 * slab);
                }
                o = t * c + ch;
                for (int row = 0; row < 4; row++, o += 4 * slab) {
                    // row of B^T d (in v already, in place) times B
                    FloatVector t0 = FloatVector.fromArray(S, v, o), t1 = FloatVector.fromArray(S, v, o + slab);
                    FloatVector t2 = FloatVector.fromArray(S, v, o + 2 * slab);
                    FloatVector t3 = FloatVector.fromArray(S, v, o + 3 * slab);
                    t0.sub(t2).intoArray(v, o);
                    t1.add(t2).intoArray(v, o + slab);
                    t2.sub(t1).intoArray(v, o + 2 * slab);
                    t1.sub(t3).intoArray(v, o + 3 * slab);
                }
            }
        }
    }

    /**
     * y row t0 + t = relu(max of A^T M A + bias) for the band's first {@code count} tiles, M = m[point][tile][OC];
     * A^T = [1 1 1 0; 0 1 -1 -1]. Adding the bias after the window's maximum gives the same values as before it
     * (rounding is monotonic; {@link ImplicitConvMaxPool} pools so).
     */
    private static void transformOutput(float[] m, int band, int count, int oc, float[] bias, float[] y, int yi) {
        int slab = band * oc;
        for (int t = 0; t < count; t++, yi += oc) {
            for (int ch = 0; ch < oc; ch += V) {
                int mi = t * oc + ch;
                // A^T M, column by column: rows m0 + m1 + m2 and m1 - m2 - m3 of M's column
                FloatVector p0 = FloatVector.fromArray(S, m, mi), p4 = FloatVector.fromArray(S, m, mi + 4 * slab);
                FloatVector p8 = FloatVector.fromArray(S, m, mi + 8 * slab);
                FloatVector p12 = FloatVector.fromArray(S, m, mi + 12 * slab);
                FloatVector u0 = p0.add(p4).add(p8), l0 = p4.sub(p8).sub(p12);
                FloatVector p1 = FloatVector.fromArray(S, m, mi + slab), p5 = FloatVector.fromArray(S, m, mi + 5 * slab);
                FloatVector p9 = FloatVector.fromArray(S, m, mi + 9 * slab);
                FloatVector p13 = FloatVector.fromArray(S, m, mi + 13 * slab);
                FloatVector u1 = p1.add(p5).add(p9), l1 = p5.sub(p9).sub(p13);
                FloatVector p2 = FloatVector.fromArray(S, m, mi + 2 * slab);
                FloatVector p6 = FloatVector.fromArray(S, m, mi + 6 * slab);
                FloatVector p10 = FloatVector.fromArray(S, m, mi + 10 * slab);
                FloatVector p14 = FloatVector.fromArray(S, m, mi + 14 * slab);
                FloatVector u2 = p2.add(p6).add(p10), l2 = p6.sub(p10).sub(p14);
                FloatVector p3 = FloatVector.fromArray(S, m, mi + 3 * slab);
                FloatVector p7 = FloatVector.fromArray(S, m, mi + 7 * slab);
                FloatVector p11 = FloatVector.fromArray(S, m, mi + 11 * slab);
                FloatVector p15 = FloatVector.fromArray(S, m, mi + 15 * slab);
                FloatVector u3 = p3.add(p7).add(p11), l3 = p7.sub(p11).sub(p15);
                // times A: the window's four outputs, maximized row by row
                FloatVector max = u0.add(u1).add(u2).max(u1.sub(u2).sub(u3))
                        .max(l0.add(l1).add(l2).max(l1.sub(l2).sub(l3)));
                if (bias != null) max = max.add(FloatVector.fromArray(S, bias, ch));
                max.max(0f).intoArray(y, yi + ch);
            }
        }
    }
}
