package imagesearch

import "context"

// Operations. Each checks ctx before sending and binds the request to ctx;
// Config.Timeout bounds the whole exchange. See call for the error and
// response contract.

// AddImage adds an image (ref §3).
func (c *Client) AddImage(ctx context.Context, r *AddImageRequest) (*AddImageResponse, error) {
	return call[AddImageResponse](ctx, c, ActionAddImage, r.params())
}

// UpdateImage changes an image's metadata (ref §2).
func (c *Client) UpdateImage(ctx context.Context, r *UpdateImageRequest) (*UpdateImageResponse, error) {
	return call[UpdateImageResponse](ctx, c, ActionUpdateImage, r.params())
}

// DeleteImage deletes images (ref §4).
func (c *Client) DeleteImage(ctx context.Context, r *DeleteImageRequest) (*DeleteImageResponse, error) {
	return call[DeleteImageResponse](ctx, c, ActionDeleteImage, r.params())
}

// SearchImageByPic searches with a query image (ref §5.1).
func (c *Client) SearchImageByPic(ctx context.Context, r *SearchImageByPicRequest) (*SearchResponse, error) {
	return call[SearchResponse](ctx, c, ActionSearchImageByPic, r.params())
}

// SearchImageByName searches with an indexed image as the query (ref §5.2).
func (c *Client) SearchImageByName(ctx context.Context, r *SearchImageByNameRequest) (*SearchResponse, error) {
	return call[SearchResponse](ctx, c, ActionSearchImageByName, r.params())
}

// CheckImageExists looks one image up by ProductId+PicName (ref §5.5).
func (c *Client) CheckImageExists(ctx context.Context, r *CheckImageExistsRequest) (*CheckImageExistsResponse, error) {
	return call[CheckImageExistsResponse](ctx, c, ActionCheckImageExists, r.params())
}

// Detail reads instance information (ref §6.1).
func (c *Client) Detail(ctx context.Context, r *DetailRequest) (*DetailResponse, error) {
	return call[DetailResponse](ctx, c, ActionDetail, r.params())
}
