package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// FerretDB 1.24 runs findAndModify, update and delete as a read followed by a separate
// write, so two concurrent findOneAndUpdate calls with the same condition can both match,
// and concurrent updates of one document can overwrite each other. MongoDB runs each of
// them atomically, and the auth module's refresh-token rotation relies on that. The proxy
// restores it: it sits in front of FerretDB and lets only one command that is not a known
// read be in flight at a time, across all connections.

const (
	opMsg          = 2013
	headerSize     = 16
	maxMessageSize = 48 * 1024 * 1024
	moreToComeFlag = 1 << 1
)

// readCommands run concurrently; every other command (writes, index and collection
// changes, anything unknown) is serialized.
var readCommands = map[string]bool{
	"find": true, "getMore": true, "aggregate": true, "count": true, "distinct": true,
	"listIndexes": true, "listCollections": true, "listDatabases": true, "explain": true,
	"killCursors": true, "endSessions": true, "hello": true, "isMaster": true, "ismaster": true,
	"ping": true, "buildInfo": true, "buildinfo": true, "dbStats": true, "collStats": true,
	"serverStatus": true, "getParameter": true, "connectionStatus": true, "whatsmyuri": true,
	"hostInfo": true, "getCmdLineOpts": true, "getLog": true, "saslStart": true, "saslContinue": true,
}

type proxy struct {
	backend  string
	writeMux sync.Mutex
}

// serve accepts clients on l until ctx is done, relaying each to its own backend connection.
func (p *proxy) serve(ctx context.Context, l net.Listener) {
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	var conns sync.WaitGroup
	defer conns.Wait()
	for {
		client, err := l.Accept()
		if err != nil {
			return
		}
		conns.Add(1)
		go func() {
			defer conns.Done()
			p.relay(ctx, client)
		}()
	}
}

func (p *proxy) relay(ctx context.Context, client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.backend)
	if err != nil {
		return
	}
	defer server.Close()
	stop := context.AfterFunc(ctx, func() {
		client.Close()
		server.Close()
	})
	defer stop()

	for {
		request, err := readMessage(client)
		if err != nil {
			return
		}
		if err := p.roundTrip(request, client, server); err != nil {
			return
		}
	}
}

// roundTrip forwards one request and relays its responses, holding the write lock
// throughout when the request is not a known read.
func (p *proxy) roundTrip(request []byte, client, server net.Conn) error {
	if !readCommands[commandName(request)] {
		p.writeMux.Lock()
		defer p.writeMux.Unlock()
	}
	if _, err := server.Write(request); err != nil {
		return err
	}
	if flagBits(request)&moreToComeFlag != 0 {
		return nil
	}
	for {
		response, err := readMessage(server)
		if err != nil {
			return err
		}
		if _, err := client.Write(response); err != nil {
			return err
		}
		if flagBits(response)&moreToComeFlag == 0 {
			return nil
		}
	}
}

func readMessage(r io.Reader) ([]byte, error) {
	header := make([]byte, headerSize)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, err
	}
	length := int(int32(binary.LittleEndian.Uint32(header)))
	if length < headerSize || length > maxMessageSize {
		return nil, fmt.Errorf("invalid message length %d", length)
	}
	message := make([]byte, length)
	copy(message, header)
	if _, err := io.ReadFull(r, message[headerSize:]); err != nil {
		return nil, err
	}
	return message, nil
}

func opCode(message []byte) int32 {
	return int32(binary.LittleEndian.Uint32(message[12:16]))
}

func flagBits(message []byte) uint32 {
	if opCode(message) != opMsg || len(message) < headerSize+4 {
		return 0
	}
	return binary.LittleEndian.Uint32(message[headerSize : headerSize+4])
}

// commandName is the first key of an OP_MSG's body section, or "" for anything else.
func commandName(message []byte) string {
	if opCode(message) != opMsg {
		return ""
	}
	sections := message[headerSize+4:]
	for len(sections) > 0 {
		kind, rest := sections[0], sections[1:]
		if len(rest) < 4 {
			return ""
		}
		size := int(int32(binary.LittleEndian.Uint32(rest)))
		if size < 5 || size > len(rest) {
			return ""
		}
		if kind == 0 {
			name, _ := firstKey(rest[:size])
			return name
		}
		sections = rest[size:]
	}
	return ""
}

// firstKey reads the name of a BSON document's first element: int32 length, type byte, cstring.
func firstKey(document []byte) (string, error) {
	if len(document) < 6 {
		return "", errors.New("short document")
	}
	for i := 5; i < len(document); i++ {
		if document[i] == 0 {
			return string(document[5:i]), nil
		}
	}
	return "", errors.New("unterminated key")
}
