# SELSA in causal (online) mode: not an MMTracking config. Each frame attends to the RoIs of the 14 frames before it
# and its own (MMTracking's test_with_fix_stride, the fixed-stride branch of SELSA.extract_feats, with frame_range
# [-14, 0]) instead of 14 references spread over the whole video, so the video's length is not needed and no frame is
# read ahead: for playing a video as it decodes and for live input. Same model and graphs as the offline config; the
# boxes differ from MMTracking's offline test (docs/vid.md, "Causal mode").
_base_ = ['./selsa_faster_rcnn_r50_dc5_1x_imagenetvid.py']
data = dict(
    test=dict(
        ref_img_sampler=dict(_delete_=True, method='test_with_fix_stride', frame_range=[-14, 0], stride=1)))
