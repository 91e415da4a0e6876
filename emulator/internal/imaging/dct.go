package imaging

import "math"

// dctSide is the luma resolution the shape vector is computed at, and
// dctKeep the number of low frequencies kept per axis.
const (
	dctSide = 32
	dctKeep = 12
)

// dctCos[u][n] is the orthonormal DCT-II basis: α(u)·cos(π(2n+1)u / 2N).
var dctCos = func() (c [dctKeep][dctSide]float64) {
	for u := range c {
		a := math.Sqrt(2.0 / dctSide)
		if u == 0 {
			a = math.Sqrt(1.0 / dctSide)
		}
		for n := range c[u] {
			c[u][n] = a * math.Cos(math.Pi*float64(2*n+1)*float64(u)/(2*dctSide))
		}
	}
	return c
}()

// diagonalOrder lists the kept (u, v) frequencies without DC, lowest
// u+v first, so any prefix of the shape vector is a coarser version of it.
var diagonalOrder = func() (o [ShapeLen][2]int) {
	i := 0
	for s := 1; s <= 2*(dctKeep-1); s++ {
		for u := 0; u <= s; u++ {
			if v := s - u; u < dctKeep && v < dctKeep {
				o[i] = [2]int{u, v}
				i++
			}
		}
	}
	return o
}()

// shapeVector writes the low-frequency DCT-II coefficients of the 32×32
// luma to out in diagonal order. Each coefficient is a sum in index order;
// four sums run side by side only so that they overlap in the pipeline.
func shapeVector(luma *[dctSide][dctSide]float64, out *[ShapeLen]float64) {
	// Separable transform: rows first (only dctKeep outputs), then columns.
	var rows [dctSide][dctKeep]float64
	for y := range luma {
		p := &luma[y]
		for u := 0; u < dctKeep; u += 4 {
			c0, c1, c2, c3 := &dctCos[u], &dctCos[u+1], &dctCos[u+2], &dctCos[u+3]
			s0, s1, s2, s3 := 0.0, 0.0, 0.0, 0.0
			for x := 0; x < dctSide; x++ {
				v := p[x]
				s0 += c0[x] * v
				s1 += c1[x] * v
				s2 += c2[x] * v
				s3 += c3[x] * v
			}
			rows[y][u], rows[y][u+1], rows[y][u+2], rows[y][u+3] = s0, s1, s2, s3
		}
	}
	var coef [dctKeep][dctKeep]float64
	for v := 0; v < dctKeep; v++ {
		c := &dctCos[v]
		for u := 0; u < dctKeep; u += 4 {
			s0, s1, s2, s3 := 0.0, 0.0, 0.0, 0.0
			for y := 0; y < dctSide; y++ {
				cy, r := c[y], &rows[y]
				s0 += cy * r[u]
				s1 += cy * r[u+1]
				s2 += cy * r[u+2]
				s3 += cy * r[u+3]
			}
			coef[v][u], coef[v][u+1], coef[v][u+2], coef[v][u+3] = s0, s1, s2, s3
		}
	}
	for i, uv := range diagonalOrder {
		out[i] = coef[uv[1]][uv[0]]
	}
}
