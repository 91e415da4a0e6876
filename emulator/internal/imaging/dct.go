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

// shapeVector downsamples the luma to 32×32 and returns its low-frequency
// DCT-II coefficients in diagonal order.
func shapeVector(ycc *[thumbSide * thumbSide][3]float64) []float64 {
	const f = thumbSide / dctSide
	var luma [dctSide][dctSide]float64
	for i := range ycc {
		x, y := (i%thumbSide)/f, (i/thumbSide)/f
		luma[y][x] += ycc[i][0] / (f * f)
	}
	// Separable transform: rows first (only dctKeep outputs), then columns.
	var rows [dctSide][dctKeep]float64
	for y := range luma {
		for u := 0; u < dctKeep; u++ {
			s := 0.0
			for x, p := range luma[y] {
				s += dctCos[u][x] * p
			}
			rows[y][u] = s
		}
	}
	var coef [dctKeep][dctKeep]float64
	for v := 0; v < dctKeep; v++ {
		for u := 0; u < dctKeep; u++ {
			s := 0.0
			for y := 0; y < dctSide; y++ {
				s += dctCos[v][y] * rows[y][u]
			}
			coef[v][u] = s
		}
	}
	out := make([]float64, ShapeLen)
	for i, uv := range diagonalOrder {
		out[i] = coef[uv[1]][uv[0]]
	}
	return out
}
