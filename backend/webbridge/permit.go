package webbridge

import (
	"context"
	"fmt"
	"reflect"
)

// caller is who makes the calls of one team request: the member, the Permit
// that rules on each call, and the services acting as the member.
type caller struct {
	member   Member
	permit   func(ctx context.Context, m Member, c Call) error
	services map[string]reflect.Value // by type name, as Bridge.services
}

type callerKey struct{}

func withCaller(ctx context.Context, c *caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

func callerFrom(ctx context.Context) *caller {
	c, _ := ctx.Value(callerKey{}).(*caller)
	return c
}

// callerFor binds the team's services to m calling from page (a PageHeader
// id, or ""). Only the services of types the bridge was given are kept: a
// call can reach nothing New did not bind.
func (t *Team) callerFor(m Member, page string) *caller {
	c := &caller{member: m, permit: t.opts.Permit}
	if t.opts.ServicesFor == nil {
		return c
	}
	c.services = map[string]reflect.Value{}
	for _, s := range t.opts.ServicesFor(m, page) {
		v := reflect.ValueOf(s)
		named := v.Type()
		if named.Kind() == reflect.Pointer {
			named = named.Elem()
		}
		if _, ok := t.b.services[named.Name()]; ok {
			c.services[named.Name()] = v
		}
	}
	return c
}

// bind returns m to run for service svc as the caller: the permit's ruling
// first (nil: allowed), and m on the caller's own service value.
func (c *caller) bind(ctx context.Context, svc, name string, m method, args []reflect.Value) (method, error) {
	if c.permit != nil {
		in := make([]any, len(args))
		for i, a := range args {
			in[i] = a.Interface()
		}
		if err := c.permit(ctx, c.member, Call{Service: svc, Method: name, Args: in}); err != nil {
			return m, err
		}
	}
	if c.services == nil {
		return m, nil
	}
	v, ok := c.services[svc]
	if !ok || v.Type() != m.recv {
		// Run as nobody rather than as the member? Never: the audit must name them.
		return m, fmt.Errorf("%s is not bound for members", svc)
	}
	m.fn = v.Method(m.idx)
	return m, nil
}
