package imaging

import (
	"crypto/sha256"
	"encoding/hex"
	"image"
	"strconv"
	"testing"

	"github.com/imagesearch-conformance/conformance/fixtures"
)

// Stored descriptors are compared with the descriptors of new queries, so
// the descriptor of any given picture must never change, not even by one
// quantisation step, unless descriptorVersion changes with it. The golden
// hashes pin every field of the descriptor and the described box for a
// spread of formats, pixel layouts, sizes and options.

// goldenHash hashes every descriptor field and the region string.
func goldenHash(d Descriptor, region string) string {
	h := sha256.New()
	for _, v := range d.Shape {
		h.Write([]byte{byte(v)})
	}
	for _, v := range d.Layout {
		h.Write([]byte{byte(v)})
	}
	h.Write(d.Hist[:])
	if d.Gray {
		h.Write([]byte{1})
	} else {
		h.Write([]byte{0})
	}
	h.Write([]byte(region))
	return hex.EncodeToString(h.Sum(nil))
}

// goldenCase yields the descriptor and region of one input.
type goldenCase struct {
	name string
	run  func(t *testing.T) (Descriptor, string)
}

// viaInspect describes encoded bytes through the public path.
func viaInspect(name string, data func(t *testing.T) []byte, opt Options) goldenCase {
	return goldenCase{name, func(t *testing.T) (Descriptor, string) {
		p, err := Inspect(b64(data(t)), opt)
		if err != nil {
			t.Fatal(err)
		}
		return p.Descriptor, p.Region
	}}
}

// viaDescribe describes a decoded image directly, which reaches sizes
// below MinSide and pixel layouts no accepted decoder returns.
func viaDescribe(name string, img func() image.Image, region *Region, crop bool) goldenCase {
	return goldenCase{name, func(*testing.T) (Descriptor, string) {
		return describe(img(), region, crop)
	}}
}

func fixed(b []byte) func(*testing.T) []byte { return func(*testing.T) []byte { return b } }

var ratios = []struct {
	name  string
	ratio image.YCbCrSubsampleRatio
}{
	{"444", image.YCbCrSubsampleRatio444}, {"422", image.YCbCrSubsampleRatio422},
	{"440", image.YCbCrSubsampleRatio440}, {"420", image.YCbCrSubsampleRatio420},
	{"411", image.YCbCrSubsampleRatio411}, {"410", image.YCbCrSubsampleRatio410},
}

func goldenCases() []goldenCase {
	query := fixtures.Variant(3, 128, 128, fixtures.VariantJPEG50)
	big := fixtures.Image(fixtures.JPEG, 1, 640, 480)
	cs := []goldenCase{
		viaInspect("query jpeg50 128", fixed(query), Options{}),
		viaInspect("query jpeg50 128 crop", fixed(query), Options{Crop: true}),
		viaInspect("query jpeg50 128 region", fixed(query), Options{Region: "13,77,9,100"}),
		viaInspect("jpeg 640x480 crop", fixed(big), Options{Crop: true}),
		viaInspect("jpeg 640x480 region", fixed(big), Options{Region: "1,638,3,477"}),
		viaInspect("jpeg 1000x300 crop", fixed(fixtures.Image(fixtures.JPEG, 2, 1000, 300)), Options{Crop: true}),
		viaInspect("jpeg 300x1000", fixed(fixtures.Image(fixtures.JPEG, 7, 300, 1000)), Options{}),
		viaInspect("jpeg 101x100 crop", fixed(fixtures.Image(fixtures.JPEG, 4, 101, 100)), Options{Crop: true}),
		viaInspect("jpeg 127x129", fixed(fixtures.Variant(8, 127, 129, fixtures.VariantJPEG50)), Options{}),
		viaInspect("jpeg half", fixed(fixtures.Variant(3, 400, 300, fixtures.VariantHalf)), Options{Crop: true}),
		viaInspect("jpeg product crop", func(t *testing.T) []byte { return encodeJPEG(t, productRGBA(333, 250), 80) }, Options{Crop: true}),
		viaInspect("jpeg gray", func(t *testing.T) []byte { return encodeGrayJPEG(t, 150, 170) }, Options{Crop: true}),
		viaInspect("png rgb 128", fixed(fixtures.Image(fixtures.PNG, 3, 128, 128)), Options{}),
		viaInspect("png product crop", func(t *testing.T) []byte { return encodePNG(t, productRGBA(400, 300)) }, Options{Crop: true}),
		viaInspect("png nrgba translucent", func(t *testing.T) []byte { return encodePNG(t, translucent(210, 140)) }, Options{}),
		viaInspect("png nrgba region", func(t *testing.T) []byte { return encodePNG(t, translucent(210, 140)) }, Options{Region: "5,6,7,8"}),
		viaInspect("png gray", func(t *testing.T) []byte { return encodePNG(t, grayScene(123, 145)) }, Options{}),
		viaInspect("png 16-bit", func(t *testing.T) []byte { return encodePNG16(t, 130, 100) }, Options{}),
		viaInspect("gif", fixed(fixtures.Variant(3, 128, 128, fixtures.VariantGIF)), Options{Crop: true}),
		viaInspect("bmp", fixed(fixtures.Image(fixtures.BMP, 9, 150, 130)), Options{}),
		viaInspect("tiff", fixed(fixtures.Image(fixtures.TIFF, 9, 150, 130)), Options{}),
		viaInspect("webp", fixed(fixtures.Image(fixtures.WebP, 9, 150, 130)), Options{Crop: true}),
		viaInspect("ppm", fixed(fixtures.Image(fixtures.PPM, 9, 150, 130)), Options{}),
		viaDescribe("rgba 1x1", func() image.Image { return productRGBA(1, 1) }, nil, true),
		viaDescribe("rgba 17x33", func() image.Image { return testScene(17, 33) }, nil, true),
		viaDescribe("hostile rgba 70x90", func() image.Image { return hostileRGBA(70, 90) }, nil, false),
		viaDescribe("nycbcra 131x97", func() image.Image { return nycbcra(131, 97) }, nil, false),
		viaDescribe("paletted 50x120", func() image.Image { return paletted(50, 120) }, nil, false),
		viaDescribe("cmyk 90x80", func() image.Image { return cmyk(90, 80) }, &Region{3, 88, 1, 79}, false),
	}
	for _, r := range ratios {
		ratio := r.ratio
		for _, sz := range []struct{ w, h int }{{1, 1}, {17, 33}, {63, 65}, {64, 64}, {128, 128}, {129, 127}, {200, 150}, {640, 480}} {
			w, h := sz.w, sz.h
			name := "ycbcr" + r.name + " " + strconv.Itoa(w) + "x" + strconv.Itoa(h)
			cs = append(cs,
				viaDescribe(name, func() image.Image { return ycbcrImage(w, h, ratio, image.Point{}) }, nil, true),
				viaDescribe(name+" at 3,5", func() image.Image { return ycbcrImage(w, h, ratio, image.Pt(3, 5)) }, nil, false))
		}
		cs = append(cs,
			viaDescribe("ycbcr"+r.name+" region", func() image.Image { return ycbcrImage(200, 150, ratio, image.Pt(1, 2)) }, &Region{7, 150, 3, 148}, false),
			viaDescribe("ycbcr"+r.name+" product crop", func() image.Image { return productYCbCr(ratio) }, nil, true))
	}
	return cs
}

func TestGoldenDescriptors(t *testing.T) {
	cases := goldenCases()
	if len(cases) != len(goldenHashes) {
		t.Errorf("%d cases, %d golden hashes", len(cases), len(goldenHashes))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("case %q twice", c.name)
		}
		seen[c.name] = true
		d, region := c.run(t)
		got := goldenHash(d, region)
		if want := goldenHashes[c.name]; got != want {
			t.Errorf("%s: descriptor hash %s, want %s (region %s)", c.name, got, want, region)
		}
	}
}

// goldenHashes were computed by the descriptor code as of descriptorVersion 2;
// the comment after each is the region described.
var goldenHashes = map[string]string{
	"query jpeg50 128":        "da101609340f4ece2822d2f7a7385ddc9d041a91f2efd5b9245059407afec0a6", // 0,128,0,128
	"query jpeg50 128 crop":   "da101609340f4ece2822d2f7a7385ddc9d041a91f2efd5b9245059407afec0a6", // 0,128,0,128
	"query jpeg50 128 region": "5ff67eb763c1aab6db769bd812235456782588759f28f20fb1961ab39cd076dc", // 13,77,9,100
	"jpeg 640x480 crop":       "5ee1002da749a63f7004d7fea720fda7cc96397e400d483e29f0a8ad08f5069f", // 0,640,0,480
	"jpeg 640x480 region":     "d16c2c58a9f54bca6a03c3b8d9705225edaa792496fba305a64f87305ad1872a", // 1,638,3,477
	"jpeg 1000x300 crop":      "2df97ffdb51712cfbb64595b3c26d5d2c4e359ff87d7d37114c1b9fcf3272b80", // 0,1000,0,300
	"jpeg 300x1000":           "d34519f1cbbf8f46254ee0f958c4f2f7f8e7dbaaa4213eed3b94ac1b2f034b96", // 0,300,0,1000
	"jpeg 101x100 crop":       "f2f73fc534df4efa3c487af38bb5ec28c6905367ae0dd3e94b0c42d5455437f4", // 0,101,0,100
	"jpeg 127x129":            "75f3c7e81e6846012039dca4d26d170d12949592a96274a8b14886c61debeeb4", // 0,127,0,129
	"jpeg half":               "50a5698b6faddb45113b968d5f70f972a58170e9bd8f80e72024be8c8c78b80a", // 0,200,0,150
	"jpeg product crop":       "f19e21ddb4860a854f297b89f2c7747056a7a31b53f6b62c829ba359bd2e4adc", // 104,228,58,156
	"jpeg gray":               "0a12799cdfa9be58cc5b5c28d2bae9cf419c4ab8e791974d760a1df8e422e4b6", // 0,150,0,170
	"png rgb 128":             "35b30cf17985a612bb818fc57e1756600b4b6a6f67ac9406715c4beb891333ab", // 0,128,0,128
	"png product crop":        "cd3299ace9a9ed665da0c9e2af2930f0dc51cb60dd66127584680b46a0e51701", // 125,275,70,187
	"png nrgba translucent":   "24622cb0ad10a2a10b570484846d34d116c7d8321939f83b15ed0d8e67b9eded", // 0,210,0,140
	"png nrgba region":        "371e312ea5712a8e258dd2b34274448ed88128c159037f2cbc578ec08e57adc8", // 5,6,7,8
	"png gray":                "597bebc0998a89a12caca052df1b92deb799fe8e1313f56ac7cfd1a5770cf48e", // 0,123,0,145
	"png 16-bit":              "8cb788185902168cab3890f7885cd2e39ad2822d1fe7d241736cce8fb80fea5e", // 0,130,0,100
	"gif":                     "f82089f324342e60fe732060c82bf51b4596602a00aa387914e28ee98a6b0dc2", // 0,128,0,128
	"bmp":                     "4d9f1d73514d3961cf4d9f2e563066d653069da6e91f8ae69a760644b651e98b", // 0,150,0,130
	"tiff":                    "4d9f1d73514d3961cf4d9f2e563066d653069da6e91f8ae69a760644b651e98b", // 0,150,0,130
	"webp":                    "372a81552c04c304a6dc67d141168b4de4d00b641506f49aa8bb4c8818c19621", // 42,140,20,130
	"ppm":                     "4d9f1d73514d3961cf4d9f2e563066d653069da6e91f8ae69a760644b651e98b", // 0,150,0,130
	"rgba 1x1":                "962a65736da33f694d87e04fb6a7b17d024ec4d7d03b43cc8dff745391b94c50", // 0,1,0,1
	"rgba 17x33":              "119c7bfa980c78239ac08c35dd378521bb40769e0da48ead3ad4fef049a3222a", // 0,17,0,33
	"hostile rgba 70x90":      "c06b58bd5a14c7a9dc3fdf3ff6420f0ffc275a226d223601ab45ba71723dcc55", // 0,70,0,90
	"nycbcra 131x97":          "af65743c11f8ae0b8b9a6690f6f028663b5360a1f59268832a6b58b02f148a35", // 0,131,0,97
	"paletted 50x120":         "35062504bae5c7e5817da12ddc4f9b23d611e01733c3b28af8bd362c7dbe1e87", // 0,50,0,120
	"cmyk 90x80":              "fd821cab219676da09b4d768f43e56730b5469203132ac966f77f00480e88bf0", // 3,88,1,79
	"ycbcr444 1x1":            "7c538a63f4e51e5903f0ef10c1f342cbfdeefe017fafdd5ae1ff0fdb86eca683", // 0,1,0,1
	"ycbcr444 1x1 at 3,5":     "2dab714f18fae49da1ea9854ced63f042e4a9d17d7f4c66cd5db17e62f0d02da", // 0,1,0,1
	"ycbcr444 17x33":          "f5bfa86e1cb0dfdf95086a3263f7d0a3ab74be53fc4cb3de17262d0a648e0b8e", // 0,17,0,33
	"ycbcr444 17x33 at 3,5":   "b70386a62a1da69c471905739808f18ec5deb6ecafd67a0921c9061c94f1619a", // 0,17,0,33
	"ycbcr444 63x65":          "822e4c0906fbf35df64a3a1cd62ea68e17b663b8db474f6b6d931c6b234d18bb", // 0,63,0,65
	"ycbcr444 63x65 at 3,5":   "94eea647585850476966a7edc733fe3132ac3a23da0539f2dca1d4656b9c4f15", // 0,63,0,65
	"ycbcr444 64x64":          "f353d98ae9b5460798156e91c93d6265000578a43799bec01dee9d539782c567", // 0,64,0,64
	"ycbcr444 64x64 at 3,5":   "a2306ea5fc2bb94446dee1499f1edc1ee4b2ef11903df5a2d84af376fb4ccbd8", // 0,64,0,64
	"ycbcr444 128x128":        "46a6338eb17cb874661a899ec669cc74d0899ffbf9d7b931ae86e428d2bb7b59", // 0,128,0,128
	"ycbcr444 128x128 at 3,5": "78664c1bede447498ae9e38ce14f0e16f7cebbc9f37dcae5cba298b20188175d", // 0,128,0,128
	"ycbcr444 129x127":        "263f865390fca79165697cf880cee7cc02bb44364a36b34acdd4100468fbfa2d", // 0,129,0,127
	"ycbcr444 129x127 at 3,5": "1c039eec682ad2b75a5a4504a11813664703bcc62f0dfd35f3ea3d145674bfb2", // 0,129,0,127
	"ycbcr444 200x150":        "060255bbf4fe69fe8638ce902a8c5135015be2775f0df25ca5ca25e4124d1907", // 0,200,0,150
	"ycbcr444 200x150 at 3,5": "5a2b24bc36103622785d32dbbed752725f0634e4aa20c83b39203f1274cf2d74", // 0,200,0,150
	"ycbcr444 640x480":        "3a3b0d012ac707c9d3099e2ad08c04826e7f7401b7ef458e805c9998bb3ee468", // 0,640,0,480
	"ycbcr444 640x480 at 3,5": "40b1efc66d1d180c03f51deddd89a389db260eb26f4bac55ad4e119145664e87", // 0,640,0,480
	"ycbcr444 region":         "395ad6120b8addfbfd10177a3d59b5b24bf27987fb52764a2caa70decc9655e6", // 7,150,3,148
	"ycbcr444 product crop":   "52d44bf54f028c9bcb2a6abd35cbbf3fe1f995d76a1c4274450c933aed1db5d6", // 75,206,52,154
	"ycbcr422 1x1":            "7c538a63f4e51e5903f0ef10c1f342cbfdeefe017fafdd5ae1ff0fdb86eca683", // 0,1,0,1
	"ycbcr422 1x1 at 3,5":     "81a6ca018a25e6e0dffdf9034704a8ae4591ed6b7497b412453322c0d14bca19", // 0,1,0,1
	"ycbcr422 17x33":          "6c45cfec5d62303d148ea70991bfb85f2c10b910ec844cc7e2ff9d764909973c", // 0,17,0,33
	"ycbcr422 17x33 at 3,5":   "c30575a65283169acee78b5179b15c743d381c0d7ff654cf7ce3749c4dea1278", // 0,17,0,33
	"ycbcr422 63x65":          "fe1eedc85a1612b1b46519310f8c06312e461c1d560dda294b350118efc151c3", // 0,63,0,65
	"ycbcr422 63x65 at 3,5":   "3fb3ce99247afb7a162cfcfb8601eaeee4a3202452835dcd7b52de0ec433d843", // 0,63,0,65
	"ycbcr422 64x64":          "9f2fc377e8a41f69f22455ed61133514c3bbafc5326a37932bdcb26598c492f8", // 0,64,0,64
	"ycbcr422 64x64 at 3,5":   "dead34a7d4ca26d49a931f293b1f80ad373c143ec856b1faf6c7b627a4fe6331", // 0,64,0,64
	"ycbcr422 128x128":        "306582526c7fedfff60d64250c62ebd4044230551d18680179585eeafaabe7f4", // 0,128,0,128
	"ycbcr422 128x128 at 3,5": "bf413a03c8ee8c77dc5ad2e90a75b69ac490aa90417976d3bb4829fb19fc16f8", // 0,128,0,128
	"ycbcr422 129x127":        "bb899a4d3877cc52403279f9ce4511ab4d512124c6e2d43233b967da190b46f4", // 0,129,0,127
	"ycbcr422 129x127 at 3,5": "8c1bffd9816aaa9cb58ca2df82f3ede511b863e5b9556d07c956f91cc0405b9c", // 0,129,0,127
	"ycbcr422 200x150":        "66fadccdc10b7357c2254d34c9a43eaccd137c96d989e37e9402d1c15eada962", // 0,200,0,150
	"ycbcr422 200x150 at 3,5": "8722dd3c359c4facbac2a1c51cf8a5e142b3afcb694c2909fea88ffb832a73cd", // 0,200,0,150
	"ycbcr422 640x480":        "f66b32c0a3eba6b4e6a27a3fc39d59d15742a9694be8eeb5650620a79348fff4", // 0,640,0,480
	"ycbcr422 640x480 at 3,5": "72e978287ee8050f3acb82be39c382e2e413795f2e2d183f6b0b0558ff439e54", // 0,640,0,480
	"ycbcr422 region":         "f922209d56d0db2464741289621c4854898c3cfe94a86e393acf7b55a272aa0a", // 7,150,3,148
	"ycbcr422 product crop":   "6e6ed3231c3adb43c0716b5a72c5038f4b409b6668f17ad2d188c7a65646f1a0", // 75,206,52,154
	"ycbcr440 1x1":            "7c538a63f4e51e5903f0ef10c1f342cbfdeefe017fafdd5ae1ff0fdb86eca683", // 0,1,0,1
	"ycbcr440 1x1 at 3,5":     "2053b8c872427cf2d0fe9b3f764f42ddbd1c1d7f384570f9cdbc4d26798ad2eb", // 0,1,0,1
	"ycbcr440 17x33":          "05f1ea6110926938773bfacd19d7b68d6e52736805f592ee902d8309e4c3d132", // 0,17,0,33
	"ycbcr440 17x33 at 3,5":   "8d9167dd2ceddfb7e0349fac2b4a7eed8a970e147d17010b46161cf45f837242", // 0,17,0,33
	"ycbcr440 63x65":          "d8032b5a3cb99f428f1d7bbf77e60404c15d08331860847e5df798f3437849c1", // 0,63,0,65
	"ycbcr440 63x65 at 3,5":   "27a82a4c3af87ea38beed2fa4af0eafa4428a4e9ffd91081f61efdb4b934ea35", // 0,63,0,65
	"ycbcr440 64x64":          "0dcce627276ce869535cb01255f4cb9541652177f8fa7828b94b27d9feb4848f", // 0,64,0,64
	"ycbcr440 64x64 at 3,5":   "865163718164d6bbaf7a13c2e5200649cd90b700f266e2e7c50106d6bff57477", // 0,64,0,64
	"ycbcr440 128x128":        "0a837c24e086862555323dd26244909e0bcad2979e797c024ee5708b8f72c059", // 0,128,0,128
	"ycbcr440 128x128 at 3,5": "10fe8df3559746aa88fce9f954878a2dcb264f2f1dcdc306bdfe290657027295", // 0,128,0,128
	"ycbcr440 129x127":        "1068ffc6e52e5f23d1c2c14dda1e28a635a8c0144e812cffbd5999fdee374100", // 0,129,0,127
	"ycbcr440 129x127 at 3,5": "e7185eb29d322c08e76584c1c68ed6d05aec55ed6a97ab1cc0cff1fd129e095f", // 0,129,0,127
	"ycbcr440 200x150":        "7c988217fc5ff41ff4a71792fa4548c218934747e018da74d71001ad5cf97564", // 0,200,0,150
	"ycbcr440 200x150 at 3,5": "692b6d17ce94fb5f9ed436ac0acbdab8248ffe58fa61b487b649a262ba70bd31", // 0,200,0,150
	"ycbcr440 640x480":        "396f7923995b49c69a990bae4e6b9f2047591ffd60bd73eb50ac2b4d5db9c6fd", // 0,640,0,480
	"ycbcr440 640x480 at 3,5": "858cfa81092fec8090f9de0dee5a6842d72f305de745da3eadd9083ec44ecb50", // 0,640,0,480
	"ycbcr440 region":         "a69396dbd13b3f87c8b65e52453da8e330bcc4821f7b9c4451333a4134588991", // 7,150,3,148
	"ycbcr440 product crop":   "2d2f3a2ecc422808ed850ae2f3d324aab26db5fed008ee025704b05a7916cc08", // 75,206,52,154
	"ycbcr420 1x1":            "7c538a63f4e51e5903f0ef10c1f342cbfdeefe017fafdd5ae1ff0fdb86eca683", // 0,1,0,1
	"ycbcr420 1x1 at 3,5":     "41190aea737dbd6916943fddf331b93449ede0c2418e9dc20141910d4e7e38bf", // 0,1,0,1
	"ycbcr420 17x33":          "4e7c5db8609e8e27278290151c6ff9e497bc4ee222523d1f887d783c23f9d48c", // 0,17,0,33
	"ycbcr420 17x33 at 3,5":   "6d042a5b1f3a7acc552c8fb5fa217deb768d22d8a23769b41eb6917d390846ad", // 0,17,0,33
	"ycbcr420 63x65":          "17117b39f36ce7c9d57c8542ee39fca4079c507ffaf423af1280eb8f6dadb398", // 0,63,0,65
	"ycbcr420 63x65 at 3,5":   "7cddb76fbc652f7567bd6748e9f24cac3a7f0fe60f9d9014d4ade32272d72205", // 0,63,0,65
	"ycbcr420 64x64":          "6ed67b20a6ea86e34652e84cbcfa713fd07872657580ba4ff98ecb405071a671", // 0,64,0,64
	"ycbcr420 64x64 at 3,5":   "5780ac1cd893618b3600d8c456b24215f1f1e39d305586b3217fa8e84d185cc1", // 0,64,0,64
	"ycbcr420 128x128":        "f5f95a1ca43ac32c350f34a0da2b3a15251310b1198f9c18be068557072d685d", // 0,128,0,128
	"ycbcr420 128x128 at 3,5": "9d43a9ea2f53d950579c37c8ea6590daca06dd40b0cbf00e5e4e199587f3ef21", // 0,128,0,128
	"ycbcr420 129x127":        "0f3aa2fb2d98e4762c2b1bdbe2902df45dea1bf2b1a1ae1adde12a8d7dd21d24", // 0,129,0,127
	"ycbcr420 129x127 at 3,5": "11e1d59664a761acb680c7cf6acbee938b9287c28e2e18b79b857c7cbdcf0494", // 0,129,0,127
	"ycbcr420 200x150":        "36074e774a9e76c06af190d755f210a9eeb6ee320ff70f6c038d1d8c65295396", // 0,200,0,150
	"ycbcr420 200x150 at 3,5": "d5a50c3d6b3493cafcb52c48bc98fe9e703216f2913372d64ad64004d59bc3ea", // 0,200,0,150
	"ycbcr420 640x480":        "e6dd5a278661146e1e3f361b6bc5e2388ac84e10c8a85c5404f86d3bdbc59cb1", // 0,640,0,480
	"ycbcr420 640x480 at 3,5": "c284049a4e29c6eff226688c8e6e17b66dddbc34948d334a93d6f00bc8fd261d", // 0,640,0,480
	"ycbcr420 region":         "4a1f0c6578480731c9c9203665f51c1b0d3069ef82440722ef4110076900f0c9", // 7,150,3,148
	"ycbcr420 product crop":   "2dc0b8449d5f28295d93dca2b9481d5711d4bbf851c660b88485cdffb98e91f1", // 75,206,52,154
	"ycbcr411 1x1":            "7c538a63f4e51e5903f0ef10c1f342cbfdeefe017fafdd5ae1ff0fdb86eca683", // 0,1,0,1
	"ycbcr411 1x1 at 3,5":     "d1137d4e66ec680b5fcafe165c87849a11cd0fe3c1c4b9fbf02c98e02da63a6f", // 0,1,0,1
	"ycbcr411 17x33":          "d02e0cfa853407acfc448c5058762b6141d8c33c189a7030ff2017aa7f92f315", // 0,17,0,33
	"ycbcr411 17x33 at 3,5":   "0ac849ce5d82c3af606f77ebad84715c05e59a1524b437ecb71d9e7b534d2ecc", // 0,17,0,33
	"ycbcr411 63x65":          "e3c43d1af977abda81380ac3dc5c0942a3e481a0113c0860e2df102a77044915", // 0,63,0,65
	"ycbcr411 63x65 at 3,5":   "d07516afd1ed13cd0869849b5e512bcfad98770592c82517cf27f3df30fe34b0", // 0,63,0,65
	"ycbcr411 64x64":          "f62db649dcbffa1cdc431be295b3a36f8d5f1c69ac6d360698aeba58e1a14622", // 0,64,0,64
	"ycbcr411 64x64 at 3,5":   "908c7425f6ded41f7144857d3741b66a1135a7d972f0a68f951d4a2d5b07c841", // 0,64,0,64
	"ycbcr411 128x128":        "dfa7573b46a36c247639397134a9ee97b68c02e6524ccddaee54ba6123d48c63", // 0,128,0,128
	"ycbcr411 128x128 at 3,5": "4f7c8f7603745301195d64f34148699459fcadb4ede6f132a95eec3d992120b7", // 0,128,0,128
	"ycbcr411 129x127":        "6071f46e585cf33b269a41209677eb169486c8e396e19b0978f855de981bcf46", // 0,129,0,127
	"ycbcr411 129x127 at 3,5": "f998abd52b4e8d4736ab5814cc405da47f57543284aef1352d11aff0c7c98a73", // 0,129,0,127
	"ycbcr411 200x150":        "87663df5a484fddd413fbad81eef0fffc17d80702df89846ea7e02aad00aaa8c", // 0,200,0,150
	"ycbcr411 200x150 at 3,5": "c45ee342f03615c8b26ff2d1fb1fe9b0bf29a4d3a434ec44d950495f77c6d0f5", // 0,200,0,150
	"ycbcr411 640x480":        "e0e78ecddbd4c78f73e4b3a2bd958f525c2553461bb905d380d65ae30196a68f", // 0,640,0,480
	"ycbcr411 640x480 at 3,5": "723bf7be71ae50da040873692475ed2c1462d3fab82ebb802eeea243efb134b1", // 0,640,0,480
	"ycbcr411 region":         "2536bf8e90626d003cf37ceb0a034f0548ec5b9ab47d0461aaf90eb863f66fbf", // 7,150,3,148
	"ycbcr411 product crop":   "fccdf68a142b392f745fe2d6193158a70d5b0d1f3bb48924146a0d1e151ea3a4", // 75,206,52,154
	"ycbcr410 1x1":            "7c538a63f4e51e5903f0ef10c1f342cbfdeefe017fafdd5ae1ff0fdb86eca683", // 0,1,0,1
	"ycbcr410 1x1 at 3,5":     "ab17d2f92d00c3d4e2477c24bf20ea51c4c9be732ae2973e56bad393a129b242", // 0,1,0,1
	"ycbcr410 17x33":          "af0f2f1cad6ac9be1b7abd91e95ede191dd99a0b5c07d6b7dddc319970600bac", // 0,17,0,33
	"ycbcr410 17x33 at 3,5":   "ddcb7af9b7ad3248e4430802e38526db531afb66b2f6f3f782ee0950fa44cf42", // 0,17,0,33
	"ycbcr410 63x65":          "5bb30794801c9a8016158df508742db3d9be8f304c0711be1f38a0bffd7b4c9c", // 0,63,0,65
	"ycbcr410 63x65 at 3,5":   "f16e9b97864a0a6f138d3627cbf01491379c32bbd6e02049f77c6ffbd9b697a8", // 0,63,0,65
	"ycbcr410 64x64":          "6098f5ca1432bb0610d00dab4c39f45b71a68ebaef2e5c61261b482d3276ed42", // 0,64,0,64
	"ycbcr410 64x64 at 3,5":   "94b2ffad5ad51a13d60efcd0985237d63fb86955a2e2dded54758542142c3767", // 0,64,0,64
	"ycbcr410 128x128":        "81d9fc30615ad1d032696bbb9f970da41c9283dc025fa582bbf1393590269d35", // 0,128,0,128
	"ycbcr410 128x128 at 3,5": "27fe4886425aa16ba2296daa8f0426d3fd9bd794cb00a3c8e6d7aa979e3daa63", // 0,128,0,128
	"ycbcr410 129x127":        "d1c01a373042ca4d5e175ffe850825fe041f82d1f417c4531227e96d3c7a22d7", // 0,129,0,127
	"ycbcr410 129x127 at 3,5": "2716fb91b8f4e1380e21847bbd50367bba5aeeb4910848d7ae33f26b63de2690", // 0,129,0,127
	"ycbcr410 200x150":        "c159a0d99e322feb04551e1192997cd0ee97d3bd14d567e83b2ba2c283767d34", // 0,200,0,150
	"ycbcr410 200x150 at 3,5": "947b655d7fe7f596cbe4c46a03dbf15e4334ab9025977d12ec7b475a846b122b", // 0,200,0,150
	"ycbcr410 640x480":        "7bc0d5b7692bbbbcb3b63b11b1060d151c1514f75a8dad0b57b8c365300368e3", // 0,640,0,480
	"ycbcr410 640x480 at 3,5": "84425fc8243d237cecb7a4aa9db6f4d726230b4595bccac6ad229ea5e2a0bce4", // 0,640,0,480
	"ycbcr410 region":         "858ebaceea7fbd5818f2b56f0e1cd872716abde29f8a843e3344544c6b7c6b57", // 7,150,3,148
	"ycbcr410 product crop":   "373df53f6e83c1356ef1784731355e8c0990eb25fbf3639065e9581ba6221876", // 75,206,52,154
}
