package emulator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestMutantsAccepted checks that every listed mutant can be switched on, alone and all together, and
// that an unknown name is refused with the list of known ones.
func TestMutantsAccepted(t *testing.T) {
	for _, m := range Mutants {
		srv, err := New(Options{Mutants: []string{m.Name}})
		if err != nil {
			t.Errorf("mutant %s refused: %v", m.Name, err)
			continue
		}
		if got := srv.health().Mutants; !slices.Equal(got, []string{m.Name}) {
			t.Errorf("health lists %v for mutant %s", got, m.Name)
		}
		srv.Close()
		if m.Area == "" || m.Ref == "" || m.Description == "" {
			t.Errorf("mutant %s lacks an area, ref or description", m.Name)
		}
	}
	srv, err := New(Options{Mutants: MutantNames()})
	if err != nil {
		t.Fatalf("all mutants together: %v", err)
	}
	srv.Close()
	_, err = New(Options{Mutants: []string{"no-throttling", "no-such-mutant"}})
	if err == nil || !strings.Contains(err.Error(), "no-such-mutant") || !strings.Contains(err.Error(), "no-throttling") {
		t.Errorf("unknown mutant: %v", err)
	}
	if names := MutantNames(); !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(Mutants) {
		t.Errorf("MutantNames not sorted or not unique: %v", names)
	}
}

// TestMutantsDocumented checks that the README names every mutant.
func TestMutantsDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if os.IsNotExist(err) {
		t.Skip("README.md does not exist yet; the mutant documentation check needs it")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range Mutants {
		if !strings.Contains(string(readme), m.Name) {
			t.Errorf("README.md does not mention mutant %s", m.Name)
		}
	}
}

// TestMutantsReachable parses the package and checks that each mutant's name constant is used by the
// emulator's code, not only declared and listed in the registry of mutants.go.
func TestMutantsReachable(t *testing.T) {
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]string{}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sources[p] = string(b)
	}
	consts, unused, err := unusedMutants(sources)
	if err != nil {
		t.Fatal(err)
	}
	if len(consts) != len(Mutants) {
		t.Errorf("%d mutant constants in mutants.go, %d mutants listed", len(consts), len(Mutants))
	}
	for _, m := range Mutants {
		if !slices.Contains(consts, m.Name) {
			t.Errorf("mutant %s has no name constant", m.Name)
		}
	}
	for _, name := range unused {
		t.Errorf("mutant %s is never consulted outside the registry", name)
	}
}

// TestUnusedMutantsAnalysis checks the analysis itself on a synthetic package: a constant used only in
// the registry is reported, one consulted elsewhere is not.
func TestUnusedMutantsAnalysis(t *testing.T) {
	consts, unused, err := unusedMutants(map[string]string{
		"mutants.go": `package emulator
const (
	mutUsed   = "used"
	mutUnused = "unused"
)
var Mutants = []Mutant{{mutUsed, "", "", ""}, {mutUnused, "", "", ""}}`,
		"ops.go": `package emulator
func f(s *Server) bool { return s.mutant(mutUsed) }`,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(consts, []string{"unused", "used"}) || !slices.Equal(unused, []string{"unused"}) {
		t.Errorf("constants %v, unused %v", consts, unused)
	}
}

// unusedMutants parses the sources (file name → text) of the package and returns the sorted names of
// the mut* constants declared in mutants.go, and of those never referenced outside their declaration
// and the Mutants list.
func unusedMutants(sources map[string]string) (names, unused []string, err error) {
	fset := token.NewFileSet()
	consts := map[string]string{} // constant → mutant name
	uses := map[string]int{}
	for name, src := range sources {
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			return nil, nil, err
		}
		registry := map[ast.Node]bool{}
		if filepath.Base(name) == "mutants.go" {
			collectRegistry(f, consts, registry)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if registry[n] {
				return false // the declarations and the Mutants list do not count as uses
			}
			if id, ok := n.(*ast.Ident); ok {
				uses[id.Name]++
			}
			return true
		})
	}
	for c, name := range consts {
		names = append(names, name)
		if uses[c] == 0 {
			unused = append(unused, name)
		}
	}
	slices.Sort(names)
	slices.Sort(unused)
	return names, unused, nil
}

// collectRegistry records the mut* string constants of mutants.go and marks their declaration and the
// Mutants variable as registry nodes.
func collectRegistry(f *ast.File, consts map[string]string, registry map[ast.Node]bool) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok {
				continue
			}
			for i, id := range vs.Names {
				switch {
				case gd.Tok == token.CONST && strings.HasPrefix(id.Name, "mut") && i < len(vs.Values):
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						consts[id.Name], _ = strconv.Unquote(lit.Value)
						registry[vs] = true
					}
				case gd.Tok == token.VAR && id.Name == "Mutants":
					registry[vs] = true
				}
			}
		}
	}
}
